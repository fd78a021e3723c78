import {
  type AttachmentRef,
  AttachmentTooLargeError,
  checkMessageSize,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  type RoomAttributes,
  type RoomDetail,
  type SendMessageRequest,
  type SymphonyClient,
  type UserInfo,
  type V4MessageOut,
} from '@baton/shared/symphony-types';
import { testId } from './test-ids.ts';
import { UpdateRefusedError } from './update-refused-error.ts';

/** One call the bot made on the client. */
export interface RecordedCall {
  method: keyof SymphonyClient;
  args: unknown[];
}

export interface FakeRoom {
  streamId: string;
  attributes: RoomAttributes;
  members: number[];
  createdBy: number;
}

export interface FakeSymphonyClient extends SymphonyClient {
  /** Every call, in order. */
  readonly calls: RecordedCall[];
  /** Rooms created through the client (plus rooms registered with `addRoom`). */
  readonly rooms: Map<string, FakeRoom>;
  /** Messages sent directly through `client.sendMessage` (replies through `ctx.reply` are not here). */
  readonly sent: { streamId: string; message: SendMessageRequest }[];
  callsOf(method: keyof SymphonyClient): unknown[][];
  addUser(user: UserInfo): void;
  addRoom(room: FakeRoom): void;
  /** Makes the next call of `method` throw `error` (once). */
  failNext(method: keyof SymphonyClient, error: Error): void;
  /** Makes `downloadAttachment` serve `bytes` for that attachment (`t.send(…, { attachments })` does it). */
  addAttachment(ref: AttachmentRef, bytes: Uint8Array): void;
}

/** An in-memory `SymphonyClient` recording admin calls, for the test kit. The datafeed methods are not faked. */
export function createFakeSymphonyClient(opts: {
  botUserId: number;
  now: () => number;
  users?: UserInfo[];
}): FakeSymphonyClient {
  const calls: RecordedCall[] = [];
  const rooms = new Map<string, FakeRoom>();
  const sent: { streamId: string; message: SendMessageRequest }[] = [];
  const users = new Map<number, UserInfo>((opts.users ?? []).map((u) => [u.id, u]));
  const failures = new Map<string, Error>();
  /** Attachment bytes by `<streamId> <messageId> <attachmentId>`. */
  const files = new Map<string, Buffer>();
  const fileKey = (ref: AttachmentRef) => `${ref.streamId} ${ref.messageId} ${ref.attachmentId}`;
  /** Ids replaced through `updateMessage`: updating one again is refused, as Symphony refuses a stale version. */
  const replaced = new Set<string>();
  let seq = 0;

  const record = (method: keyof SymphonyClient, args: unknown[]) => {
    calls.push({ method, args });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  };
  const unsupported = (method: string) => async (): Promise<never> => {
    throw new Error(`${method} is not available in the bot test kit`);
  };
  /** What Symphony answers a send or an update with: the bot's message, `data` as the JSON string it keeps. */
  const answer = (streamId: string, message: SendMessageRequest, messageId: string): V4MessageOut => {
    const out: V4MessageOut = {
      messageId,
      timestamp: opts.now(),
      message: message.message,
      user: { userId: opts.botUserId },
      stream: { streamId },
    };
    if (typeof message.data === 'string') out.data = message.data;
    else if (message.data !== undefined) out.data = JSON.stringify(message.data);
    return out;
  };

  const client: FakeSymphonyClient = {
    calls,
    rooms,
    sent,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    addUser: (user) => users.set(user.id, user),
    addRoom: (room) => rooms.set(room.streamId, room),
    failNext: (method, error) => failures.set(method, error),
    addAttachment: (ref, bytes) => files.set(fileKey(ref), Buffer.from(bytes)),

    async authenticate() {
      record('authenticate', []);
    },
    logout() {
      record('logout', []);
    },
    async getSessionInfo() {
      record('getSessionInfo', []);
      const me = users.get(opts.botUserId);
      return { id: opts.botUserId, username: me?.username ?? 'bot', displayName: me?.displayName ?? 'Bot' };
    },
    async getUser(userId) {
      record('getUser', [userId]);
      return users.get(userId); // undefined for a user the test did not add, as the real client answers
    },
    async getUserByUsername(username) {
      record('getUserByUsername', [username]);
      return [...users.values()].find((u) => u.username === username);
    },
    createDatafeedV1: unsupported('createDatafeedV1'),
    readDatafeedV1: unsupported('readDatafeedV1'),
    listDatafeeds: unsupported('listDatafeeds'),
    createDatafeed: unsupported('createDatafeed'),
    readDatafeed: unsupported('readDatafeed'),
    deleteDatafeed: unsupported('deleteDatafeed'),
    readDatahose: unsupported('readDatahose'),
    async sendMessage(streamId, message) {
      record('sendMessage', [streamId, message]);
      checkMessageSize(message.message, message.data); // MessageTooLargeError, as the real client throws
      sent.push({ streamId, message });
      return answer(streamId, message, testId(`sent:${++seq}`));
    },
    async updateMessage(streamId, messageId, message) {
      record('updateMessage', [streamId, messageId, message]);
      checkMessageSize(message.message, message.data);
      if (replaced.has(messageId)) {
        throw new UpdateRefusedError(
          `Message ${messageId} has already been replaced: update the latest version`,
        );
      }
      const out = answer(streamId, message, testId(`updated:${++seq}`));
      replaced.add(messageId);
      return { ...out, replacing: messageId };
    },
    async listMessages(streamId, query) {
      record('listMessages', [streamId, query]);
      return [];
    },
    async createIm(userIds) {
      record('createIm', [userIds]);
      return { id: testId(`im:${[...userIds, opts.botUserId].sort((a, b) => a - b).join(',')}`) };
    },
    async createRoom(attrs) {
      record('createRoom', [attrs]);
      const streamId = testId(`room:${++seq}:${attrs.name}`);
      rooms.set(streamId, {
        streamId,
        attributes: attrs,
        members: [opts.botUserId],
        createdBy: opts.botUserId,
      });
      return roomDetail(rooms.get(streamId) as FakeRoom, opts.now());
    },
    async getRoomInfo(streamId) {
      record('getRoomInfo', [streamId]);
      const room = rooms.get(streamId);
      if (!room) throw new Error(`no such room ${streamId}`);
      return roomDetail(room, opts.now());
    },
    /** As the real client: the bytes, or `AttachmentTooLargeError` past `maxBytes` (default 30 MiB). */
    async downloadAttachment(ref, o) {
      record('downloadAttachment', [ref, o]);
      const bytes = files.get(fileKey(ref));
      if (!bytes) {
        throw new Error(`no attachment ${ref.attachmentId} in message ${ref.messageId} of ${ref.streamId}`);
      }
      const maxBytes = o?.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
      if (bytes.length > maxBytes) {
        throw new AttachmentTooLargeError(
          `Attachment is ${bytes.length} bytes, more than the ${maxBytes} allowed`,
          { maxBytes },
        );
      }
      return Buffer.from(bytes);
    },
    async addMember(streamId, userId) {
      record('addMember', [streamId, userId]);
      const room = rooms.get(streamId);
      if (room && !room.members.includes(userId)) room.members.push(userId);
    },
  };
  return client;
}

function roomDetail(room: FakeRoom, now: number): RoomDetail {
  return {
    roomAttributes: { ...room.attributes },
    roomSystemInfo: { id: room.streamId, creationDate: now, createdByUserId: room.createdBy, active: true },
  };
}
