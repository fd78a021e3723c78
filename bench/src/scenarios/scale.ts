import type { BenchResult } from '../bench-result.ts';
import { preloadFeed } from '../harness/preload-feed.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface ScaleOptions {
  events: number;
  /** The stream counts to compare (the same events spread over each). */
  streamCounts: number[];
  capSeconds: number;
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/**
 * Scenario 5: the same events over more and more streams, no-op handlers. The ingester first moves the whole
 * preloaded feed alone, then the workers drain it, so the ingester's CPU per event is the ingest cost and the
 * workers' the drain cost; both must stay flat as streams grow.
 */
export async function runScale(opts: ScaleOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const variant of opts.variants) {
    for (const streams of opts.streamCounts) {
      const r = await runMeasured({
        scenario: 'scale',
        ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
        variant,
        feedVersion: 'v2',
        streams,
        handlerMs: 0,
        capSeconds: opts.capSeconds,
        preload: (pod, tracker) => preloadFeed(pod, tracker, { events: opts.events, streams }),
        deferWorkersUntilIngested: true,
        load: async () => {},
      });
      results.push(r);
      opts.onResult?.(r);
    }
  }
  return results;
}
