import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface SteadyOptions {
  streams: number;
  ratePerSec: number;
  seconds: number;
  handlerMs: number;
  capSeconds: number;
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/** Scenario 4: a fixed rate for a while; latency percentiles, CPU and RSS per process role. */
export async function runSteady(opts: SteadyOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const variant of opts.variants) {
    const r = await runMeasured({
      scenario: 'steady',
      ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
      variant,
      feedVersion: 'v2',
      streams: opts.streams,
      handlerMs: opts.handlerMs,
      capSeconds: opts.capSeconds,
      load: (pod, tracker) =>
        inject(pod, tracker, {
          streams: opts.streams,
          total: Math.round(opts.ratePerSec * opts.seconds),
          ratePerSec: opts.ratePerSec,
          handlerMs: () => opts.handlerMs,
        }),
    });
    r.extra = { ...r.extra, ratePerSec: opts.ratePerSec, seconds: opts.seconds };
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}
