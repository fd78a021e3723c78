import type { BenchResult } from '../bench-result.ts';
import { burstCases, burstRun } from './burst.ts';
import { runScenario, type ScenarioOptions } from './run-scenario.ts';

export interface HostileHostOptions extends ScenarioOptions {
  events: number;
  streams: number;
  handlerMs: number;
  /** Busy-loop processes beside the stack (one per core wants the whole machine). */
  hogProcesses: number;
  feedVersions: ('v1' | 'v2')[];
}

/** Scenario 6: the burst at the simulator's top rate while CPU hogs compete with the stack for every core. */
export async function runHostileHost(opts: HostileHostOptions): Promise<BenchResult[]> {
  return runScenario('hostile-host', opts, burstCases(opts), (c) => ({
    ...burstRun({ ...opts, ratePerSec: 'max' }, c),
    cpuHogProcesses: opts.hogProcesses,
  }));
}
