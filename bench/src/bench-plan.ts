import type { CliOptions } from './cli-options.ts';
import type { Variant } from './harness/variant.ts';
import type { BurstOptions } from './scenarios/burst.ts';
import type { CeilingOptions } from './scenarios/ceiling.ts';
import type { HostileHostOptions } from './scenarios/hostile-host.ts';
import type { IsolationOptions } from './scenarios/isolation.ts';
import type { ScaleOptions } from './scenarios/scale.ts';
import type { SteadyOptions } from './scenarios/steady.ts';

/** What a scenario's options hold apart from the run-wide settings `main` adds. */
type Sizes<T> = Omit<T, 'cpuProfileDir' | 'onResult'>;

/** Sizes of every scenario, full (the issue's) or quick (smoke test). */
export interface BenchPlan {
  burst: Sizes<BurstOptions>;
  isolation: Sizes<IsolationOptions>;
  ceiling: Sizes<CeilingOptions>;
  steady: Sizes<SteadyOptions>;
  scale: Sizes<ScaleOptions>;
  'hostile-host': Sizes<HostileHostOptions>;
}

/** Drain jobs each worker process runs at once (streams in parallel per process). */
export const WORKER_CONCURRENCY = 16;

const baton = (workers: number, concurrency = WORKER_CONCURRENCY): Variant => ({
  kind: 'baton',
  workers,
  concurrency,
});

export function planFor(cli: CliOptions): BenchPlan {
  const keep = (vs: Variant[]) => (cli.only ? vs.filter((v) => cli.only?.includes(v.kind)) : vs);
  const q = cli.quick;
  const burstWorkers = cli.workers ?? (q ? [2] : [1, 2, 4]);
  return {
    burst: {
      events: q ? 200 : 5_000,
      streams: q ? 20 : 100,
      handlerMs: 200,
      ratePerSec: cli.burstRate ?? 1_000,
      capSeconds: q ? 15 : 120,
      feedVersions: ['v1', 'v2'],
      variants: keep([...burstWorkers.map((w) => baton(w)), { kind: 'inline' }, { kind: 'inline-batch' }]),
    },
    isolation: {
      streams: q ? 20 : 100,
      ratePerSec: q ? 50 : 100,
      seconds: q ? 6 : 20,
      handlerMs: 20,
      slowHandlerMs: q ? 5_000 : 10_000,
      capSeconds: q ? 20 : 60,
      variants: keep([baton(2), { kind: 'inline-batch' }]),
    },
    ceiling: {
      events: q ? 2_000 : 20_000,
      streams: q ? 50 : 500,
      capSeconds: q ? 30 : 120,
      variants: keep([baton(2, 32)]),
      redisBenchmarkRequests: q ? 20_000 : 100_000,
    },
    steady: {
      streams: 100,
      ratePerSec: q ? 100 : 200,
      seconds: q ? 8 : 60,
      handlerMs: 5,
      capSeconds: q ? 20 : 90,
      // The baseline runs in --quick too: every figure of the issue is a ratio to it in the same run.
      variants: keep([baton(2), { kind: 'inline-batch' }]),
    },
    scale: {
      events: q ? 2_000 : 20_000,
      streamCounts: q ? [100, 1_000] : [100, 1_000, 10_000],
      capSeconds: q ? 60 : 180,
      variants: keep([baton(2, 32)]),
    },
    'hostile-host': {
      events: q ? 500 : 5_000,
      streams: q ? 20 : 100,
      handlerMs: 200,
      hogProcesses: 2,
      capSeconds: q ? 30 : 120,
      feedVersions: ['v1', 'v2'],
      variants: keep([baton(cli.workers?.[0] ?? 2), { kind: 'inline-batch' }]),
    },
  };
}
