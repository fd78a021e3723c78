import type { BenchResult } from '../bench-result.ts';
import { preloadFeed } from '../harness/preload-feed.ts';
import { runScenario, type ScenarioOptions } from './run-scenario.ts';

export interface ScaleOptions extends ScenarioOptions {
  events: number;
  /** The stream counts to compare (the same events spread over each). */
  streamCounts: number[];
}

/**
 * Scenario 5: the same events over more and more streams, no-op handlers. The ingester first moves the whole
 * preloaded feed alone, then the workers drain it, so the ingester's CPU per event is the ingest cost and the
 * workers' the drain cost; both must stay flat as streams grow.
 */
export async function runScale(opts: ScaleOptions): Promise<BenchResult[]> {
  const cases = opts.variants.flatMap((variant) =>
    opts.streamCounts.map((streams) => ({ variant, streams })),
  );
  return runScenario('scale', opts, cases, ({ variant, streams }) => ({
    variant,
    feedVersion: 'v2',
    streams,
    handlerMs: 0,
    preload: (pod, tracker) => preloadFeed(pod, tracker, { events: opts.events, streams }),
    deferWorkersUntilIngested: true,
    load: async () => {},
  }));
}
