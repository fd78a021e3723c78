import { presentationMlToText } from '@baton/shared/messageml';
import type {
  OboClient,
  OboClients,
  OboUser,
  SendMessageRequest,
  StreamAttributes,
  UserInfo,
  V4MessageOut,
} from '@baton/shared/symphony-types';
import { BotFrameworkError } from '../errors.ts';
import { testId } from './test-ids.ts';

/**
 * The test kit's refusal of an on-behalf-of session (the user is unknown or has not installed the app): the same
 * code as the Symphony client's `OboUserRejectedError`, so a bot branching on it is tested as it runs.
 */
export class FakeOboRejectedError extends BotFrameworkError {
  constructor(message: string) {
    super('SYMPHONY_OBO_USER_REJECTED', message);
  }
}

/** A message posted on behalf of a user (`ctx.obo(user).send`). */
export interface TestOboMessage {
  /** The user it is recorded as coming from. */
  userId: number;
  streamId: string;
  message: string;
  data?: Record<string, unknown> | string;
  text: string;
  messageId: string;
}

/** One on-behalf-of call other than a send. */
export interface RecordedOboCall {
  userId: number;
  method: 'listStreams' | 'createIm' | 'createRoom' | 'getSessionInfo';
  args: unknown[];
}

export interface FakeOboClients extends OboClients {
  /** Every message posted on behalf of a user, in order. */
  readonly sent: readonly TestOboMessage[];
  readonly calls: readonly RecordedOboCall[];
  /** The user installs the app (`installedFor: 'all'`, the default, means every known user has). */
  install(userId: number): void;
  uninstall(userId: number): void;
  /** What `listStreams` answers for a user. */
  setStreams(userId: number, streams: StreamAttributes[]): void;
}

/** In-memory `OboClients` for the test kit: users must exist and have the app installed, as on a pod. */
export function createFakeOboClients(opts: {
  appId?: string;
  users: UserInfo[];
  now: () => number;
  /** Users who installed the app; default every user. */
  installedFor?: number[] | 'all';
}): FakeOboClients {
  const sent: TestOboMessage[] = [];
  const calls: RecordedOboCall[] = [];
  const installed = new Set<number>(
    opts.installedFor === 'all' || !opts.installedFor ? [] : opts.installedFor,
  );
  const everyone = opts.installedFor === undefined || opts.installedFor === 'all';
  const removed = new Set<number>();
  const streams = new Map<number, StreamAttributes[]>();
  let seq = 0;

  const resolve = (user: OboUser): UserInfo => {
    const found =
      'userId' in user
        ? opts.users.find((u) => u.id === user.userId)
        : opts.users.find((u) => u.username?.toLowerCase() === user.username.toLowerCase());
    const label = 'userId' in user ? `user ${user.userId}` : `user "${user.username}"`;
    if (!found) throw new FakeOboRejectedError(`On-behalf-of authentication rejected: unknown ${label}`);
    const ok = !removed.has(found.id) && (everyone || installed.has(found.id));
    if (!ok) {
      throw new FakeOboRejectedError(
        `On-behalf-of authentication rejected: app "${opts.appId ?? 'test-app'}" is not installed for ${label}`,
      );
    }
    return found;
  };

  const forUser = (user: OboUser): OboClient => ({
    user,
    async getSessionInfo() {
      const u = resolve(user);
      calls.push({ userId: u.id, method: 'getSessionInfo', args: [] });
      return { ...u, id: u.id, username: u.username ?? String(u.id) };
    },
    async sendMessage(streamId: string, msg: SendMessageRequest): Promise<V4MessageOut> {
      const u = resolve(user);
      const messageId = testId(`obo:${++seq}`);
      sent.push({
        userId: u.id,
        streamId,
        message: msg.message,
        ...(msg.data !== undefined ? { data: msg.data } : {}),
        text: presentationMlToText(msg.message),
        messageId,
      });
      return {
        messageId,
        timestamp: opts.now(),
        message: msg.message,
        user: { userId: u.id, ...(u.username ? { username: u.username } : {}) },
        stream: { streamId },
      };
    },
    async listStreams(...args) {
      const u = resolve(user);
      calls.push({ userId: u.id, method: 'listStreams', args });
      return [...(streams.get(u.id) ?? [])];
    },
    async createIm(...args) {
      const u = resolve(user);
      calls.push({ userId: u.id, method: 'createIm', args });
      return { id: testId(`obo-im:${u.id}:${[...args[0]].sort().join(',')}`) };
    },
    async createRoom(...args) {
      const u = resolve(user);
      calls.push({ userId: u.id, method: 'createRoom', args });
      const id = testId(`obo-room:${++seq}`);
      return {
        roomAttributes: { ...args[0] },
        roomSystemInfo: { id, creationDate: opts.now(), createdByUserId: u.id, active: true },
      };
    },
  });

  return {
    appId: opts.appId ?? 'test-app',
    forUser,
    sent,
    calls,
    install(userId) {
      installed.add(userId);
      removed.delete(userId);
    },
    uninstall(userId) {
      installed.delete(userId);
      removed.add(userId);
    },
    setStreams(userId, list) {
      streams.set(userId, list);
    },
  };
}
