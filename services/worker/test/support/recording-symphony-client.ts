import {
  type ListMessagesQuery,
  MessageUpdateRefusedError,
  type SendMessageRequest,
  type SymphonyClient,
  type V4MessageOut,
} from '@baton/shared';

export interface RecordingClient extends SymphonyClient {
  /** Every message posted, in order. */
  readonly sent: (V4MessageOut & { streamId: string; parsedData: Record<string, unknown> })[];
  /** Make the next `n` sendMessage/updateMessage calls post the message and then throw (a crash after the post). */
  failAfterPost(n: number): void;
}

/**
 * An in-memory SymphonyClient for runtime tests that do not need the pod simulator: it records posted
 * messages and serves them back from listMessages. Other methods throw.
 */
export function createRecordingClient(bot = { id: 1, username: 'baton-bot' }): RecordingClient {
  const sent: RecordingClient['sent'] = [];
  let failAfter = 0;
  let n = 0;
  /** The agent's answer to a create (or update) of `msg`: a new message id, the bot as sender. */
  const posted = (streamId: string, msg: SendMessageRequest) => ({
    messageId: `m${++n}`,
    timestamp: Date.now(),
    message: msg.message,
    data: typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data ?? {}),
    stream: { streamId },
    user: { userId: bot.id },
  });
  const notImplemented = (name: string) => () => {
    throw new Error(`recording client: ${name} not implemented`);
  };
  const client = {
    sent,
    failAfterPost(k: number) {
      failAfter = k;
    },
    async authenticate() {},
    logout() {},
    async getSessionInfo() {
      return { id: bot.id, username: bot.username };
    },
    async sendMessage(streamId: string, msg: SendMessageRequest): Promise<V4MessageOut> {
      const out = posted(streamId, msg);
      const { data } = out;
      sent.push({ ...out, streamId, parsedData: JSON.parse(data) as Record<string, unknown> });
      if (failAfter > 0) {
        failAfter--;
        throw new Error('connection reset after the post (simulated crash)');
      }
      return out;
    },
    /** As the agent does: a new version (new id, `replacing` the old one); only the latest can be updated. */
    async updateMessage(streamId: string, messageId: string, msg: SendMessageRequest): Promise<V4MessageOut> {
      const previous = sent.find((m) => m.streamId === streamId && m.messageId === messageId);
      if (!previous || previous.replacedBy !== undefined) {
        throw new MessageUpdateRefusedError(`recording client: cannot update ${messageId}`, { status: 400 });
      }
      const out = { ...posted(streamId, msg), replacing: messageId };
      const { data } = out;
      previous.replacedBy = out.messageId;
      sent.push({ ...out, streamId, parsedData: JSON.parse(data) as Record<string, unknown> });
      if (failAfter > 0) {
        failAfter--;
        throw new Error('connection reset after the update (simulated crash)');
      }
      return out;
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
    getUser: notImplemented('getUser'),
    getUserByUsername: notImplemented('getUserByUsername'),
    createDatafeedV1: notImplemented('createDatafeedV1'),
    readDatafeedV1: notImplemented('readDatafeedV1'),
    listDatafeeds: notImplemented('listDatafeeds'),
    createDatafeed: notImplemented('createDatafeed'),
    readDatafeed: notImplemented('readDatafeed'),
    deleteDatafeed: notImplemented('deleteDatafeed'),
    readDatahose: notImplemented('readDatahose'),
    createIm: notImplemented('createIm'),
    createRoom: notImplemented('createRoom'),
    getRoomInfo: notImplemented('getRoomInfo'),
    addMember: notImplemented('addMember'),
    downloadAttachment: notImplemented('downloadAttachment'),
  } satisfies RecordingClient;
  return client;
}
