import type { BatonEvent } from '@baton/shared/events';
import { eventKey } from '@baton/shared/events';
import type { Logger } from '@baton/shared/logging';
import { presentationMlToText } from '@baton/shared/messageml';
import type { Bot } from '../bot-types.ts';
import { createMemoryStateStore } from '../memory-state-store.ts';
import type {
  BacklogInfo,
  MessageUpdater,
  OutgoingMessage,
  ReplySender,
  RuntimeServices,
  ScheduledTask,
  StateStore,
} from '../runtime-contract.ts';
import {
  buildElementsAction,
  buildImCreated,
  buildMessageSent,
  buildUserJoinedRoom,
  type TestStream,
  type TestUser,
} from './build-events.ts';
import { createFakeOboClients, type FakeOboClients } from './fake-obo-clients.ts';
import { createFakeSymphonyClient, type FakeSymphonyClient } from './fake-symphony-client.ts';
import { createSilentLogger } from './silent-logger.ts';
import { createTestClock, type TestClock } from './test-clock.ts';
import { testId } from './test-ids.ts';
import { UpdateRefusedError } from './update-refused-error.ts';

/** A reply the bot posted. */
export interface TestReply {
  streamId: string;
  /** MessageML as sent. */
  message: string;
  data?: Record<string, unknown>;
  /** The message as plain text. */
  text: string;
  messageId: string;
  /** Set once an update replaced this message: the id of the version that replaced it. */
  replacedBy?: string;
  /** Files sent with the reply (`ctx.reply(content, { attachments })`), bytes as sent. */
  attachments?: TestFile[];
}

/** A file a test user sends (`t.send(text, { attachments })`) or the bot replied with. `data` string = UTF-8. */
export interface TestFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

/** A message update the bot made (`ctx.updateMessage`): the new version of a reply (or of an earlier update). */
export interface TestUpdate extends TestReply {
  /** The id of the version this one replaces. */
  replacing: string;
}

/** A task waiting in the fake scheduler. */
export interface PendingTask extends ScheduledTask {
  id: string;
  dueAt: number;
}

export interface TestBotOptions {
  /** The bot's identity. Default `{ userId: 1000, username: 'bot', displayName: 'Baton Bot' }`. */
  botUser?: TestUser;
  /** Extra users (alice, bob and carol always exist). */
  users?: TestUser[];
  logger?: Logger;
  /** Start of the fake clock (ms). Default: the real current time. */
  startTime?: number;
  /** Use this store instead of the in-memory one (e.g. `createRedisStateStore`, to test across replicas). */
  state?: StateStore;
  /** What `services.backlog()` reports (omit = no backlog function, like a runtime that cannot tell). */
  backlog?: BacklogInfo;
  /**
   * The on-behalf-of app (`ctx.obo`): by default one every user installed; `installedFor` lists the users who
   * did (others are refused, `SYMPHONY_OBO_USER_REJECTED`); `false` = no app (`ctx.obo` throws `OBO_NOT_CONFIGURED`).
   */
  obo?: { appId?: string; installedFor?: number[] } | false;
}

export interface SendOptions {
  /** Default: alice. */
  from?: TestUser;
  /** Default: the room `general`. */
  stream?: TestStream;
}

/** `t.send` options: also files attached to the message (`ctx.attachments`; `ctx.download` returns the bytes). */
export interface SendMessageOptions extends SendOptions {
  /** `size`: the declared size, when it should differ from the bytes' (a sender that lies). */
  attachments?: { name: string; data: string | Uint8Array; size?: number }[];
}

export interface TestBot {
  readonly botUser: TestUser;
  readonly users: { alice: TestUser; bob: TestUser; carol: TestUser } & Record<string, TestUser>;
  /** The room most tests talk in. */
  readonly general: TestStream;
  /** The IM between `user` and the bot. */
  im(user: TestUser): TestStream;
  /** A room by name (created on first use). */
  room(name: string): TestStream;
  /**
   * Posts a message as a user (`@bot`/`@username` become mentions, `#x` hashtags, `$X` cashtags), with files
   * when `attachments` is given.
   */
  send(text: string, opts?: SendMessageOptions): Promise<TestReply[]>;
  /** Submits an Elements form (`values.action` is the button name). */
  submitForm(
    formId: string,
    values: Record<string, unknown>,
    opts?: SendOptions & { formMessageId?: string },
  ): Promise<TestReply[]>;
  /** The most recent message holding a form with that id (or any form), among versions not replaced by an update. */
  lastForm(
    formId?: string,
  ): { formId: string; formMessageId: string; streamId: string; reply: TestReply } | undefined;
  userJoins(user: TestUser, opts?: { stream?: TestStream; by?: TestUser }): Promise<TestReply[]>;
  /** The user opens an IM with the bot (INSTANTMESSAGECREATED). */
  openIm(user: TestUser): Promise<TestReply[]>;
  /** Runs any event; `late: true` delivers it as the runtime delivers a late event (`ctx.late`). */
  emit(event: BatonEvent, opts?: { late?: boolean }): Promise<TestReply[]>;
  /** Moves the clock and runs the tasks that became due. */
  advance(ms: number): Promise<TestReply[]>;
  /** Runs every pending task now (moving the clock to each one's due time). */
  runScheduled(): Promise<TestReply[]>;
  readonly scheduled: readonly PendingTask[];
  /**
   * Every reply so far. Like the runtime, replies are idempotent per event: re-`emit` an event (a retry) and
   * the replies its earlier attempts already posted are not posted again (matched by rank within the event).
   */
  readonly replies: readonly TestReply[];
  /**
   * Every message update so far (`ctx.updateMessage`), oldest first; the version replaced gets `replacedBy`.
   * Idempotent per event like replies: a re-`emit`ted event does not update again.
   */
  readonly updates: readonly TestUpdate[];
  /** The message as users see it now: the latest version of the message with that id (a reply or an update). */
  latest(messageId: string): TestReply | undefined;
  /** Every event fed to the bot so far (re-`emit` one to simulate the runtime's retry). */
  readonly events: readonly BatonEvent[];
  /** The state store (in memory and on the fake clock, unless `opts.state` was given). */
  readonly state: StateStore;
  readonly client: FakeSymphonyClient;
  /** The fake on-behalf-of app: what was sent as whom (`obo.sent`), installs (undefined with `obo: false`). */
  readonly obo: FakeOboClients | undefined;
  readonly clock: TestClock;
  readonly services: RuntimeServices;
  readonly bot: Bot;
}

const DEFAULT_USERS = {
  alice: { userId: 2001, username: 'alice', displayName: 'Alice Martin' },
  bob: { userId: 2002, username: 'bob', displayName: 'Bob Chen' },
  carol: { userId: 2003, username: 'carol', displayName: 'Carol Diaz' },
};

/** Runs a bot in memory (no Redis, no pod): feed it events, read its replies, state and admin calls. */
export function createTestBot(bot: Bot, opts: TestBotOptions = {}): TestBot {
  const botUser = opts.botUser ?? { userId: 1000, username: 'bot', displayName: 'Baton Bot' };
  const users: TestBot['users'] = { ...DEFAULT_USERS };
  for (const u of opts.users ?? []) users[u.username] = u;
  const clock = createTestClock(opts.startTime);
  const state = opts.state ?? createMemoryStateStore({ now: clock.now });
  const allUsers = () => [botUser, ...Object.values(users)];
  const client = createFakeSymphonyClient({
    botUserId: botUser.userId,
    now: clock.now,
    users: allUsers().map((u) => ({ id: u.userId, username: u.username, displayName: u.displayName })),
  });
  const obo =
    opts.obo === false
      ? undefined
      : createFakeOboClients({
          users: allUsers().map((u) => ({ id: u.userId, username: u.username, displayName: u.displayName })),
          now: clock.now,
          ...(opts.obo?.appId !== undefined ? { appId: opts.obo.appId } : {}),
          ...(opts.obo?.installedFor !== undefined ? { installedFor: opts.obo.installedFor } : {}),
        });
  const replies: TestReply[] = [];
  const updates: TestUpdate[] = [];
  /** Replies and updates in the order they were made: every version of every message. */
  const versions: TestReply[] = [];
  /** opId → the update it made (the runtime's update marks). */
  const updatesDone = new Map<string, TestUpdate>();
  /** `<event key>#<rank>` → the reply posted for it (the runtime's post-done marks). */
  const posted = new Map<string, TestReply>();
  const pending: PendingTask[] = [];
  const scheduledIds = new Set<string>();
  const events: BatonEvent[] = [];
  let seq = 0;
  /** The agent's answer to a create or an update: the posted version, sent by the bot, now. */
  const answerOf = (posted: { messageId: string; message: string; streamId: string }) => ({
    messageId: posted.messageId,
    timestamp: clock.now(),
    message: posted.message,
    user: { userId: botUser.userId },
    stream: { streamId: posted.streamId },
  });
  const logger = opts.logger ?? createSilentLogger();

  const services: RuntimeServices = {
    client,
    botUser: { userId: botUser.userId, username: botUser.username, displayName: botUser.displayName },
    logger,
    state,
    replies: repliesFor(undefined),
    ...(obo ? { obo } : {}),
    scheduler: {
      async schedule(delayMs, task) {
        const id = task.id ?? `task-${++seq}`;
        if (scheduledIds.has(id)) return id;
        scheduledIds.add(id);
        pending.push({ ...task, id, dueAt: clock.now() + Math.max(0, delayMs) });
        return id;
      },
    },
  };
  /** The reply sender of one handled event (or task): the n-th reply of a retry reuses the first try's. */
  function repliesFor(key: string | undefined): ReplySender {
    let rank = 0;
    return {
      async send(streamId: string, msg: OutgoingMessage) {
        const mark = key === undefined ? undefined : `${key}#${rank++}`;
        const done = mark === undefined ? undefined : posted.get(mark);
        const reply: TestReply = done ?? {
          streamId,
          message: msg.message,
          text: presentationMlToText(msg.message),
          messageId: testId(`reply:${++seq}`),
        };
        if (!done) {
          if (msg.data !== undefined) reply.data = msg.data;
          if (msg.attachments?.length) {
            reply.attachments = msg.attachments.map((a) => ({
              name: a.filename,
              data: Buffer.from(a.content),
              ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
            }));
          }
          replies.push(reply);
          versions.push(reply);
          if (mark !== undefined) posted.set(mark, reply);
        }
        return answerOf(reply);
      },
    };
  }
  /** Like the worker's: one update per opId, refused for a message the bot did not post there or already replaced. */
  const updater: MessageUpdater = {
    async update(streamId, messageId, msg, opId) {
      let made = updatesDone.get(opId);
      if (!made) {
        const target = versions.find((v) => v.messageId === messageId);
        if (!target || target.streamId !== streamId) {
          throw new UpdateRefusedError(`Message ${messageId} is not a message the bot posted in ${streamId}`);
        }
        if (target.replacedBy !== undefined) {
          throw new UpdateRefusedError(
            `Message ${messageId} has already been replaced by ${target.replacedBy}: update the latest version`,
          );
        }
        made = {
          streamId,
          message: msg.message,
          text: presentationMlToText(msg.message),
          messageId: testId(`update:${++seq}`),
          replacing: messageId,
          ...(msg.data !== undefined ? { data: msg.data } : {}),
        };
        target.replacedBy = made.messageId;
        updates.push(made);
        versions.push(made);
        updatesDone.set(opId, made);
      }
      return { ...answerOf(made), replacing: made.replacing };
    },
  };
  services.updates = updater;
  const latest = (messageId: string): TestReply | undefined => {
    let at = versions.find((v) => v.messageId === messageId);
    while (at?.replacedBy !== undefined) {
      const next: string = at.replacedBy;
      at = versions.find((v) => v.messageId === next);
    }
    return at;
  };
  const backlog = opts.backlog;
  if (backlog) services.backlog = async () => backlog;

  const resolveUser = (name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'bot' || lower === botUser.username.toLowerCase()) return botUser;
    return allUsers().find((u) => u.username.toLowerCase() === lower);
  };
  const streams = new Map<string, TestStream>();
  const room = (name: string): TestStream => {
    const key = `room:${name}`;
    let s = streams.get(key);
    if (!s) {
      s = { streamId: testId(key), streamType: 'ROOM', roomName: name };
      streams.set(key, s);
    }
    return s;
  };
  const im = (user: TestUser): TestStream => {
    const key = `im:${user.userId}`;
    let s = streams.get(key);
    if (!s) {
      s = { streamId: testId(key), streamType: 'IM' };
      streams.set(key, s);
    }
    return s;
  };
  const general = room('general');

  const collect = async (run: () => Promise<void>): Promise<TestReply[]> => {
    const before = replies.length;
    await run();
    return replies.slice(before);
  };
  const emit = (event: BatonEvent, emitOpts?: { late?: boolean }) => {
    events.push(event);
    const attempt = events.filter((e) => e === event).length;
    const key = eventKey(event);
    return collect(() =>
      bot.handle(
        event,
        { ...services, replies: repliesFor(key) },
        {
          eventKey: key,
          attempt,
          receivedAt: clock.now(),
          ...(emitOpts?.late ? { late: true } : {}),
        },
      ),
    );
  };

  const runTask = (task: PendingTask) =>
    bot.handleTask(
      { id: task.id, name: task.name, streamId: task.streamId, data: task.data },
      { ...services, replies: repliesFor(`task-${task.id}`) },
    );

  const runDue = async (all: boolean): Promise<TestReply[]> =>
    collect(async () => {
      for (;;) {
        pending.sort((a, b) => a.dueAt - b.dueAt);
        const next = pending[0];
        if (!next || (!all && next.dueAt > clock.now())) return;
        pending.shift();
        if (next.dueAt > clock.now()) clock.set(next.dueAt);
        await runTask(next);
      }
    });

  return {
    botUser,
    users,
    general,
    im,
    room,
    bot,
    client,
    obo,
    clock,
    state,
    services,
    get replies() {
      return replies;
    },
    get updates() {
      return updates;
    },
    latest,
    get events() {
      return events;
    },
    get scheduled() {
      return [...pending].sort((a, b) => a.dueAt - b.dueAt);
    },
    send(text, o = {}) {
      const files = (o.attachments ?? []).map((f) => ({
        id: testId(`file:${++seq}`),
        name: f.name,
        bytes: typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : Buffer.from(f.data),
        size: f.size,
      }));
      const event = buildMessageSent({
        text,
        from: o.from ?? users.alice,
        stream: o.stream ?? general,
        timestamp: clock.now(),
        resolveUser,
        attachments: files.map((f) => ({ id: f.id, name: f.name, size: f.size ?? f.bytes.length })),
      });
      if (event.type === 'MESSAGESENT') {
        const { messageId, stream } = event.payload.messageSent.message;
        for (const f of files) {
          client.addAttachment({ streamId: stream.streamId, messageId, attachmentId: f.id }, f.bytes);
        }
      }
      return emit(event);
    },
    submitForm(formId, values, o = {}) {
      const form = o.formMessageId === undefined ? findForm(versions, formId) : undefined;
      const event = buildElementsAction({
        from: o.from ?? users.alice,
        stream: o.stream ?? (form ? streamById(form.streamId) : general),
        formId,
        formMessageId: o.formMessageId ?? form?.formMessageId ?? testId(`form:${formId}`),
        values,
        timestamp: clock.now(),
      });
      return emit(event);
    },
    lastForm: (formId) => findForm(versions, formId),
    userJoins(user, o = {}) {
      return emit(
        buildUserJoinedRoom({ user, stream: o.stream ?? general, by: o.by ?? user, timestamp: clock.now() }),
      );
    },
    openIm(user) {
      return emit(buildImCreated({ user, bot: botUser, stream: im(user), timestamp: clock.now() }));
    },
    emit,
    async advance(ms) {
      clock.advance(ms);
      return runDue(false);
    },
    runScheduled: () => runDue(true),
  };

  function streamById(streamId: string): TestStream {
    for (const s of streams.values()) if (s.streamId === streamId) return s;
    const created = client.rooms.get(streamId);
    return { streamId, streamType: 'ROOM', roomName: created?.attributes.name ?? 'room' };
  }
}

const FORM_RE = /<form\b[^>]*\bid="([^"]+)"/;

/** The most recent message version still shown (not replaced) holding that form. */
function findForm(versions: readonly TestReply[], formId?: string) {
  for (let i = versions.length - 1; i >= 0; i--) {
    const reply = versions[i] as TestReply;
    if (reply.replacedBy !== undefined) continue;
    const id = FORM_RE.exec(reply.message)?.[1];
    if (id !== undefined && (formId === undefined || id === formId)) {
      return { formId: id, formMessageId: reply.messageId, streamId: reply.streamId, reply };
    }
  }
  return undefined;
}
