import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runScenario, type ScenarioOptions } from './run-scenario.ts';

export interface SteadyOptions extends ScenarioOptions {
  streams: number;
  ratePerSec: number;
  seconds: number;
  handlerMs: number;
}

/** Scenario 4: a fixed rate for a while; latency percentiles, CPU and RSS per process role. */
export async function runSteady(opts: SteadyOptions): Promise<BenchResult[]> {
  return runScenario(
    'steady',
    opts,
    opts.variants,
    (variant) => ({
      variant,
      feedVersion: 'v2',
      streams: opts.streams,
      handlerMs: opts.handlerMs,
      load: (pod, tracker) =>
        inject(pod, tracker, {
          streams: opts.streams,
          total: Math.round(opts.ratePerSec * opts.seconds),
          ratePerSec: opts.ratePerSec,
          handlerMs: () => opts.handlerMs,
        }),
    }),
    (r) => {
      r.extra = { ...r.extra, ratePerSec: opts.ratePerSec, seconds: opts.seconds };
    },
  );
}
