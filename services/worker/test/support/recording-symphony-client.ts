import type { SendMessageRequest, SymphonyClient, V4MessageOut } from '@baton/shared';

export interface RecordingClient extends SymphonyClient {
  /** Every message posted, in order. */
  readonly sent: (V4MessageOut & { streamId: string; parsedData: Record<string, unknown> })[];
  /** Make the next `n` sendMessage calls post the message and then throw (a crash after the post). */
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
      const data = typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data ?? {});
      const out = {
        messageId: `m${++n}`,
        timestamp: Date.now(),
        message: msg.message,
        data,
        stream: { streamId },
        user: { userId: bot.id },
      };
      sent.push({ ...out, streamId, parsedData: JSON.parse(data) as Record<string, unknown> });
      if (failAfter > 0) {
        failAfter--;
        throw new Error('connection reset after the post (simulated crash)');
      }
      return out;
    },
    async listMessages(streamId: string, query: { since: number; limit?: number }): Promise<V4MessageOut[]> {
      return sent
        .filter((m) => m.streamId === streamId && m.timestamp >= query.since)
        .slice(-(query.limit ?? 50))
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
  } satisfies RecordingClient;
  return client;
}
