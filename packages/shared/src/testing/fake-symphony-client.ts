import { AbortedError, MessageUpdateRefusedError } from '../symphony/errors.ts';
import type {
  ListMessagesQuery,
  SendMessageRequest,
  SymphonyClient,
  V4MessageOut,
  V5ReadResult,
} from '../symphony/types.ts';

/** A message the fake client recorded: what the agent answered, with its stream and its EntityJSON parsed. */
export type RecordedMessage = V4MessageOut & { streamId: string; parsedData: Record<string, unknown> };

export interface FakeSymphonyClientOptions {
  /** The bot's session (`getSessionInfo`); default `{ id: 1, username: 'baton-bot' }`. */
  bot?: { id: number; username: string };
}

/**
 * A `SymphonyClient` with no pod behind it, for the services' tests: datafeed v2 reads follow a script, posted
 * and updated messages are recorded (and served back by `listMessages`). What neither covers rejects.
 */
export interface FakeSymphonyClient extends SymphonyClient {
  /** Every message posted or updated, in order (an update is a new version, `replacing` the old one). */
  readonly sent: RecordedMessage[];
  /** Make the next `n` sendMessage/updateMessage calls post the message and then throw (a crash after the post). */
  failAfterPost(n: number): void;
  /** The next read returns these events (with a new ackId). */
  events(events: unknown[]): void;
  /** The next read fails with `err`. */
  fail(err: Error): void;
  /**
   * The next read answers `events` only once `gate` resolves (and ignores the abort signal, like a response
   * already on the wire).
   */
  gated(events: unknown[], gate: Promise<void>): void;
  /** The next read returns no events and the previous ackId (an idle long poll), once `gate` resolves. */
  empty(gate?: Promise<void>): void;
  /** The next read never answers (until aborted). With nothing scripted, every read hangs so. */
  hang(): void;
  /** The abort signal of every read, in order. */
  readonly readSignals: AbortSignal[];
  /** How many reads have answered (a failed or a hanging read is not counted). */
  completedReads(): number;
}

type ReadStep = (signal: AbortSignal) => Promise<V5ReadResult>;

/**
 * The one fake of `SymphonyClient` for the services' tests (the ingester's scripted reads, the worker's recorded
 * replies). The bot test kit's `FakeSymphonyClient` (`@baton/bot/testkit`) is another thing: a fake of the
 * bot-facing services (replies, rooms, users), not of this client.
 */
export function createFakeSymphonyClient(options: FakeSymphonyClientOptions = {}): FakeSymphonyClient {
  const bot = options.bot ?? { id: 1, username: 'baton-bot' };
  const sent: RecordedMessage[] = [];
  const steps: ReadStep[] = [];
  const readSignals: AbortSignal[] = [];
  let failAfter = 0;
  let posts = 0;
  let ackCounter = 0;
  let reads = 0;
  const notScripted = (name: string) => () =>
    Promise.reject(new Error(`fake Symphony client: ${name} is not supported`));
  const hang = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new AbortedError('aborted'));
      signal.addEventListener('abort', () => reject(new AbortedError('aborted')), { once: true });
    });
  /** The agent's answer to a create (or update) of `msg`: a new message id, the bot as sender. */
  const posted = (streamId: string, msg: SendMessageRequest) => ({
    messageId: `m${++posts}`,
    timestamp: Date.now(),
    message: msg.message,
    data: typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data ?? {}),
    stream: { streamId },
    user: { userId: bot.id },
  });
  const record = (streamId: string, out: V4MessageOut & { data: string }, crash: string) => {
    sent.push({ ...out, streamId, parsedData: JSON.parse(out.data) as Record<string, unknown> });
    if (failAfter > 0) {
      failAfter--;
      throw new Error(`connection reset after the ${crash} (simulated crash)`);
    }
    return out;
  };

  return {
    sent,
    readSignals,
    failAfterPost(n) {
      failAfter = n;
    },
    events(events) {
      steps.push(async () => ({ events, ackId: `ack${++ackCounter}` }));
    },
    fail(err) {
      steps.push(async () => {
        throw err;
      });
    },
    gated(events, gate) {
      steps.push(async () => {
        await gate;
        return { events, ackId: `ack${++ackCounter}` };
      });
    },
    empty(gate = Promise.resolve()) {
      steps.push(async () => {
        await gate;
        return { events: [], ackId: `ack${ackCounter}` };
      });
    },
    hang() {
      steps.push(hang);
    },
    completedReads: () => reads,

    async authenticate() {},
    logout() {},
    async getSessionInfo() {
      return { id: bot.id, username: bot.username };
    },
    getUser: notScripted('getUser'),
    getUserByUsername: notScripted('getUserByUsername'),
    createDatafeedV1: async () => ({ id: 'v1feed' }),
    readDatafeedV1: notScripted('readDatafeedV1'),
    listDatafeeds: async () => [],
    createDatafeed: async () => ({ id: 'fake_f' }),
    async readDatafeed(_feedId, _ackId, opts) {
      const signal = opts?.signal ?? new AbortController().signal;
      readSignals.push(signal);
      const step = steps.shift();
      if (!step) return hang(signal);
      const result = await step(signal);
      reads += 1;
      return result;
    },
    deleteDatafeed: async () => {},
    readDatahose: notScripted('readDatahose'),
    async sendMessage(streamId, msg) {
      return record(streamId, posted(streamId, msg), 'post');
    },
    /** As the agent does: a new version (new id, `replacing` the old one); only the latest can be updated. */
    async updateMessage(streamId, messageId, msg) {
      const previous = sent.find((m) => m.streamId === streamId && m.messageId === messageId);
      if (!previous || previous.replacedBy !== undefined) {
        throw new MessageUpdateRefusedError(`fake Symphony client: cannot update ${messageId}`, {
          status: 400,
        });
      }
      const out = { ...posted(streamId, msg), replacing: messageId };
      previous.replacedBy = out.messageId;
      return record(streamId, out, 'update');
    },
    async listMessages(streamId: string, query: ListMessagesQuery): Promise<V4MessageOut[]> {
      // As the agent does: oldest first from `since` (to `until`), `skip` skipped, at most `limit` (50).
      const until = query.until ?? Number.POSITIVE_INFINITY;
      const skip = query.skip ?? 0;
      return sent
        .filter((m) => m.streamId === streamId && m.timestamp >= query.since && m.timestamp <= until)
        .slice(skip, skip + (query.limit ?? 50))
        .map(({ parsedData: _p, streamId: _s, ...m }) => m);
    },
    createIm: notScripted('createIm'),
    createRoom: notScripted('createRoom'),
    getRoomInfo: notScripted('getRoomInfo'),
    addMember: notScripted('addMember'),
    downloadAttachment: notScripted('downloadAttachment'),
  };
}
