import type { BenchResult } from '../bench-result.ts';
import { preloadFeed } from '../harness/preload-feed.ts';
import { redisBenchmark } from '../harness/redis-benchmark.ts';
import { runScenario, type ScenarioOptions } from './run-scenario.ts';

export interface CeilingOptions extends ScenarioOptions {
  events: number;
  streams: number;
  redisBenchmarkRequests: number;
}

/**
 * Scenario 3: the most events/s the ingester moves from feed to Redis (measured on the mailbox counters) and the
 * workers complete (measured on the reply times), next to `redis-benchmark` on the same Redis.
 */
export async function runCeiling(opts: CeilingOptions): Promise<BenchResult[]> {
  return runScenario(
    'ceiling',
    opts,
    opts.variants,
    (variant) => ({
      variant,
      feedVersion: 'v2',
      streams: opts.streams,
      handlerMs: 0,
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
    }),
    (r) => {
      const ingest = Number(r.extra.ingestEventsPerSecond ?? 0);
      const bench = r.extra.redisBenchmark as { clients50?: Record<string, number> } | undefined;
      const set = bench?.clients50?.set;
      if (ingest > 0 && set) r.extra.ingestToRedisSetRatio = Math.round((ingest / set) * 1000) / 1000;
    },
  );
}
