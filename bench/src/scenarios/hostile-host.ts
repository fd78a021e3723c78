import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import { runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

export interface HostileHostOptions {
  events: number;
  streams: number;
  handlerMs: number;
  /** Busy-loop processes beside the stack (one per core wants the whole machine). */
  hogProcesses: number;
  capSeconds: number;
  feedVersions: ('v1' | 'v2')[];
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  onResult?: (r: BenchResult) => void;
}

/** Scenario 6: the burst at the simulator's top rate while CPU hogs compete with the stack for every core. */
export async function runHostileHost(opts: HostileHostOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const feedVersion of opts.feedVersions) {
    for (const variant of opts.variants) {
      const r = await runMeasured({
        scenario: 'hostile-host',
        ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
        variant,
        feedVersion,
        streams: opts.streams,
        handlerMs: opts.handlerMs,
        capSeconds: opts.capSeconds,
        cpuHogProcesses: opts.hogProcesses,
        load: (pod, tracker) =>
          inject(pod, tracker, {
            streams: opts.streams,
            total: opts.events,
            ratePerSec: 'max',
            handlerMs: () => opts.handlerMs,
          }),
      });
      results.push(r);
      opts.onResult?.(r);
    }
  }
  return results;
}
