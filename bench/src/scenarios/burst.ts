import type { BenchResult } from '../bench-result.ts';
import { inject } from '../harness/injector.ts';
import type { Variant } from '../harness/variant.ts';
import { runScenario, type ScenarioOptions, type ScenarioRun } from './run-scenario.ts';

export interface BurstOptions extends ScenarioOptions {
  events: number;
  streams: number;
  handlerMs: number;
  /** Injection rate of the burst (messages/s, or `max`). */
  ratePerSec: number | 'max';
  feedVersions: ('v1' | 'v2')[];
}

type BurstSizes = Pick<BurstOptions, 'events' | 'streams' | 'handlerMs' | 'ratePerSec'>;

/** Every feed version (outer) with every variant (inner), the order the burst scenarios run in. */
export function burstCases(opts: Pick<BurstOptions, 'feedVersions' | 'variants'>) {
  return opts.feedVersions.flatMap((feedVersion) =>
    opts.variants.map((variant) => ({ feedVersion, variant })),
  );
}

/** One burst run: `events` commands over `streams` at `ratePerSec`, each handler waiting `handlerMs`. */
export function burstRun(
  opts: BurstSizes,
  { feedVersion, variant }: { feedVersion: 'v1' | 'v2'; variant: Variant },
): ScenarioRun {
  return {
    variant,
    feedVersion,
    streams: opts.streams,
    handlerMs: opts.handlerMs,
    load: (pod, tracker) =>
      inject(pod, tracker, {
        streams: opts.streams,
        total: opts.events,
        ratePerSec: opts.ratePerSec,
        handlerMs: () => opts.handlerMs,
      }),
  };
}

/** Scenario 1: a burst of commands with slow (I/O) handlers, Baton with N workers vs the inline loops. */
export async function runBurst(opts: BurstOptions): Promise<BenchResult[]> {
  return runScenario('burst', opts, burstCases(opts), (c) => burstRun(opts, c));
}
