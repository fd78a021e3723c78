import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface BurstOptions {
  events: number;
  streams: number;
  handlerMs: number;
  /** Injection rate of the burst (messages/s, or `max`). */
  ratePerSec: number | 'max';
  capSeconds: number;
  feedVersions: ('v1' | 'v2')[];
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/** Scenario 1: a burst of commands with slow (I/O) handlers, Baton with N workers vs the inline loops. */
export async function runBurst(opts: BurstOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const feedVersion of opts.feedVersions) {
    for (const variant of opts.variants) {
      const r = await runMeasured({
        scenario: 'burst',
        ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
        variant,
        feedVersion,
        streams: opts.streams,
        handlerMs: opts.handlerMs,
        capSeconds: opts.capSeconds,
        load: (pod, tracker) =>
          inject(pod, tracker, {
            streams: opts.streams,
            total: opts.events,
            ratePerSec: opts.ratePerSec,
            handlerMs: () => opts.handlerMs,
          }),
      });
      results.push(r);
      opts.onResult?.(r);
    }
  }
  return results;
}
