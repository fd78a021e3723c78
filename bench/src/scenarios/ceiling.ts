import type { BenchResult } from '../bench-result.ts';
import { preloadFeed } from '../harness/preload-feed.ts';
import { redisBenchmark } from '../harness/redis-benchmark.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface CeilingOptions {
  events: number;
  streams: number;
  capSeconds: number;
  variants: Variant[];
  redisBenchmarkRequests: number;
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/**
 * Scenario 3: the most events/s the ingester moves from feed to Redis (measured on the mailbox counters) and the
 * workers complete (measured on the reply times), next to `redis-benchmark` on the same Redis.
 */
export async function runCeiling(opts: CeilingOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const variant of opts.variants) {
    const r = await runMeasured({
      scenario: 'ceiling',
      ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
      variant,
      feedVersion: 'v2',
      streams: opts.streams,
      handlerMs: 0,
      capSeconds: opts.capSeconds,
      preload: (pod, tracker) => preloadFeed(pod, tracker, opts),
      // The ingester runs alone until every event is in Redis, then the workers drain: each measured on its own.
      deferWorkersUntilIngested: true,
      load: async () => {},
      afterDrain: async (running) => {
        if (!running.redis) return {};
        const plain = await redisBenchmark(running.redis.port, {
          requests: opts.redisBenchmarkRequests,
          clients: 50,
        });
        const pipelined = await redisBenchmark(running.redis.port, {
          requests: opts.redisBenchmarkRequests * 4,
          clients: 50,
          pipeline: 16,
        });
        return { redisBenchmark: { clients50: plain, clients50pipeline16: pipelined } };
      },
    });
    const ingest = Number(r.extra.ingestEventsPerSecond ?? 0);
    const bench = r.extra.redisBenchmark as { clients50?: Record<string, number> } | undefined;
    const set = bench?.clients50?.set;
    if (ingest > 0 && set) r.extra.ingestToRedisSetRatio = Math.round((ingest / set) * 1000) / 1000;
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}
