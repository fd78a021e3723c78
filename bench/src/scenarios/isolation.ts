import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runScenario, type ScenarioOptions } from './run-scenario.ts';

export interface IsolationOptions extends ScenarioOptions {
  streams: number;
  ratePerSec: number;
  seconds: number;
  handlerMs: number;
  slowHandlerMs: number;
}

/**
 * Scenario 2: normal traffic on every stream, but the last stream's handler is slow. Figures count only the
 * normal streams; each variant also runs without the slow stream for comparison.
 */
export async function runIsolation(opts: IsolationOptions): Promise<BenchResult[]> {
  const slow = opts.streams - 1;
  const cases = opts.variants.flatMap((variant) => [false, true].map((withSlow) => ({ variant, withSlow })));
  return runScenario(
    'isolation',
    opts,
    cases,
    ({ variant, withSlow }) => ({
      variant,
      feedVersion: 'v2',
      streams: opts.streams,
      handlerMs: opts.handlerMs,
      counts: (s) => s !== slow,
      load: (pod, tracker) =>
        inject(pod, tracker, {
          streams: opts.streams,
          total: Math.round(opts.ratePerSec * opts.seconds),
          ratePerSec: opts.ratePerSec,
          handlerMs: (s) => (withSlow && s === slow ? opts.slowHandlerMs : opts.handlerMs),
        }),
    }),
    (r, { withSlow }) => {
      r.variant = `${r.variant}${withSlow ? '+slow' : ''}`;
      r.extra = { ...r.extra, slowStream: withSlow, slowHandlerMs: withSlow ? opts.slowHandlerMs : null };
    },
  );
}
