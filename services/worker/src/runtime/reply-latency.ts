import type { RuntimeBot } from '@baton/bot';
import { type LatencyBuckets, REPLY_LATENCY_BOUNDS_MS } from '@baton/shared';

/** Reply latency counted in buckets for the heartbeat (see `LatencyBucketsSchema` in @baton/shared). */
export interface ReplyLatency {
  /** Counts one event that took `ms` from the ingester's `receivedAt` to its handler's successful end. */
  record(ms: number): void;
  /** The counters since start (a copy), as the heartbeat carries them. */
  snapshot(): LatencyBuckets;
  /**
   * The same bot, whose successful `handle` calls are counted here (events without `receivedAt` are not). An
   * attempt that outlived `timeoutMs` was abandoned by the drain, so it is not counted either.
   */
  timed<B extends RuntimeBot>(bot: B, opts: { timeoutMs: number; clock?: () => number }): B;
}

export function createReplyLatency(boundsMs: readonly number[] = REPLY_LATENCY_BOUNDS_MS): ReplyLatency {
  const counts = new Array<number>(boundsMs.length + 1).fill(0);
  const record = (ms: number) => {
    let i = 0;
    while (i < boundsMs.length && ms > (boundsMs[i] ?? Number.POSITIVE_INFINITY)) i++;
    counts[i] = (counts[i] ?? 0) + 1;
  };
  return {
    record,
    snapshot: () => ({ boundsMs: [...boundsMs], counts: [...counts] }),
    timed(bot, opts) {
      const clock = opts.clock ?? Date.now;
      const handle: RuntimeBot['handle'] = async (event, services, meta) => {
        const started = clock();
        await bot.handle(event, services, meta);
        const end = clock();
        if (meta.receivedAt !== undefined && end - started <= opts.timeoutMs)
          record(Math.max(0, end - meta.receivedAt));
      };
      return new Proxy(bot, {
        get: (target, prop, receiver) =>
          prop === 'handle' ? handle : (Reflect.get(target, prop, receiver) as unknown),
      });
    },
  };
}
