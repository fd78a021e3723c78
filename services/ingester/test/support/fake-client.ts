import { AbortedError, type SymphonyClient, type V5ReadResult } from '@baton/shared';
import { rawMessageSent, testStreamId } from '@baton/testing';

type ReadStep = (signal: AbortSignal) => Promise<V5ReadResult>;

/** A scripted SymphonyClient for loop tests: reads take steps from a queue, else hang until aborted. */
export function createFakeClient(botUserId = 1) {
  const steps: ReadStep[] = [];
  const readSignals: AbortSignal[] = [];
  let ackCounter = 0;
  let reads = 0;
  const notSupported = () => Promise.reject(new Error('not supported by the fake client'));
  const hang = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new AbortedError('aborted'));
      signal.addEventListener('abort', () => reject(new AbortedError('aborted')), { once: true });
    });

  const client: SymphonyClient = {
    authenticate: async () => {},
    logout: () => {},
    getSessionInfo: async () => ({ id: botUserId, username: 'bot' }),
    getUser: notSupported,
    getUserByUsername: notSupported,
    createDatafeedV1: async () => ({ id: 'v1feed' }),
    readDatafeedV1: notSupported,
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
    readDatahose: notSupported,
    sendMessage: notSupported,
    updateMessage: notSupported,
    listMessages: notSupported,
    createIm: notSupported,
    createRoom: notSupported,
    getRoomInfo: notSupported,
    addMember: notSupported,
    downloadAttachment: notSupported,
  };
  return {
    client,
    /** Next read returns these events. */
    events(events: unknown[]) {
      steps.push(async () => ({ events, ackId: `ack${++ackCounter}` }));
    },
    /** Next read fails with `err`. */
    fail(err: Error) {
      steps.push(async () => {
        throw err;
      });
    },
    /** Next read answers `events` only once `gate` resolves (and ignores the abort signal, like a response already on the wire). */
    gated(events: unknown[], gate: Promise<void>) {
      steps.push(async () => {
        await gate;
        return { events, ackId: `ack${++ackCounter}` };
      });
    },
    /** Next read returns no events and the same ackId as the previous one (an idle long poll), once `gate` resolves. */
    empty(gate: Promise<void> = Promise.resolve()) {
      steps.push(async () => {
        await gate;
        return { events: [], ackId: `ack${ackCounter}` };
      });
    },
    /** Next read never answers (until aborted). */
    hang() {
      steps.push(hang);
    },
    readSignals,
    completedReads: () => reads,
  };
}

/** A valid MESSAGESENT event of stream `label` (`testStreamId`) from `userId`, numbered `n` (ids and timestamps follow from it). */
export function messageSent(label: string, n: number, userId = 2): Record<string, unknown> {
  const streamId = testStreamId(label);
  return rawMessageSent({
    streamId,
    streamType: 'IM',
    id: `ev${n}`,
    messageId: `msg${streamId}${n}`,
    timestamp: 1_700_000_000_000 + n,
    text: `m-0-${n}`,
    from: { userId, displayName: `u${userId}`, username: `u${userId}` },
  });
}
