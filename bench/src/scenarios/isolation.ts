import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface IsolationOptions {
  streams: number;
  ratePerSec: number;
  seconds: number;
  handlerMs: number;
  slowHandlerMs: number;
  capSeconds: number;
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/**
 * Scenario 2: normal traffic on every stream, but the last stream's handler is slow. Figures count only the
 * normal streams; each variant also runs without the slow stream for comparison.
 */
export async function runIsolation(opts: IsolationOptions): Promise<BenchResult[]> {
  const slow = opts.streams - 1;
  const results: BenchResult[] = [];
  for (const variant of opts.variants) {
    for (const withSlow of [false, true]) {
      const r = await runMeasured({
        scenario: 'isolation',
        ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
        variant,
        feedVersion: 'v2',
        streams: opts.streams,
        handlerMs: opts.handlerMs,
        capSeconds: opts.capSeconds,
        counts: (s) => s !== slow,
        load: (pod, tracker) =>
          inject(pod, tracker, {
            streams: opts.streams,
            total: Math.round(opts.ratePerSec * opts.seconds),
            ratePerSec: opts.ratePerSec,
            handlerMs: (s) => (withSlow && s === slow ? opts.slowHandlerMs : opts.handlerMs),
          }),
      });
      r.variant = `${r.variant}${withSlow ? '+slow' : ''}`;
      r.extra = { ...r.extra, slowStream: withSlow, slowHandlerMs: withSlow ? opts.slowHandlerMs : null };
      results.push(r);
      opts.onResult?.(r);
    }
  }
  return results;
}
