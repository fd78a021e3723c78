import { createSimulator, type Simulator } from '@baton/pod-simulator';

export const BENCH_BOT_USERNAME = 'benchbot';

const workText = (tag: string, ms: number) => `@${BENCH_BOT_USERNAME} /work ${tag} ${ms}`;

export interface BenchPodOptions {
  streams: number;
  /** v1 unread queue size at which a feed expires (Symphony: 250). */
  v1QueueSize?: number;
  /** v2 redelivery delay of unacknowledged events (Symphony/BDK: 30 s). */
  redeliveryMs?: number;
  /** Read hold when nothing is queued (Symphony: 30 s). */
  longPollMs?: number;
}

/** A simulated pod with a bot service account, one human sender and `streams` rooms (sender + bot). */
export interface BenchPod {
  sim: Simulator;
  botUserId: number;
  senderUserId: number;
  streamIds: string[];
  /** Symphony env for every process that acts as the bot. */
  botEnv: Record<string, string>;
  /** Post `@benchbot /work <tag> <ms>` in stream `index` as the sender. */
  sendWork(index: number, tag: string, ms: number): void;
  /** Subscribe to the bot's replies (text, receive time). */
  onBotReply(listener: (text: string, at: number) => void): () => void;
  /** Highest unread count any of the bot's feeds reached, and how many of its feeds expired (any reason). */
  feedStats(): { highWater: number; expired: number; redelivered: number };
  close(): Promise<void>;
}

export async function createBenchPod(opts: BenchPodOptions): Promise<BenchPod> {
  const sim = await createSimulator({
    v1QueueSize: opts.v1QueueSize ?? 250,
    redeliveryMs: opts.redeliveryMs ?? 30_000,
    longPollMs: opts.longPollMs ?? 30_000,
  });
  const { control } = sim;
  const keys = control.generateKeyPair();
  const botUserId = control.createUser({
    username: BENCH_BOT_USERNAME,
    displayName: 'Bench Bot',
    publicKeyPem: keys.publicKeyPem,
    bot: true,
  }).userId;
  const senderUserId = control.createUser({ username: 'trader', displayName: 'Trader' }).userId;
  const streamIds: string[] = [];
  for (let i = 0; i < opts.streams; i++) {
    streamIds.push(
      control.createStream({ type: 'ROOM', name: `bench-${i}`, memberIds: [senderUserId, botUserId] })
        .streamId,
    );
  }
  return {
    sim,
    botUserId,
    senderUserId,
    streamIds,
    botEnv: {
      SYMPHONY_POD_URL: sim.url,
      SYMPHONY_BOT_USERNAME: BENCH_BOT_USERNAME,
      SYMPHONY_PRIVATE_KEY: keys.privateKeyPem,
    },
    sendWork(index, tag, ms) {
      const streamId = streamIds[index];
      if (streamId === undefined) throw new RangeError(`no stream ${index}`);
      control.sendMessage(streamId, { fromUserId: senderUserId, text: workText(tag, ms) });
    },
    onBotReply(listener) {
      return control.onMessage((_streamId, message) => {
        if (message.sender.userId === botUserId) listener(message.text, Date.now());
      });
    },
    feedStats() {
      const stats = control.stats();
      let highWater = 0;
      let expired = 0;
      let redelivered = 0;
      for (const f of stats.feeds) {
        if (f.userId !== botUserId) continue;
        highWater = Math.max(highWater, f.highWater);
        redelivered += f.redelivered;
        if (f.expired && f.expiredReason !== 'deleted') expired++;
      }
      return { highWater, expired, redelivered };
    },
    close: () => sim.close(),
  };
}
