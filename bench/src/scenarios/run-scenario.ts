import type { BenchResult } from '../bench-result.ts';
import { type RunSpec, runMeasured } from '../harness/run-measured.ts';
import type { Variant } from '../harness/variant.ts';

/** The options every scenario takes beside its own sizes. */
export interface ScenarioOptions {
  capSeconds: number;
  variants: Variant[];
  /** Write V8 CPU profiles of the spawned processes here. */
  cpuProfileDir?: string;
  /** Extra variables for every Baton ingester of the scenario (`--ingester-env`). */
  ingesterEnv?: Record<string, string>;
  onResult?: (r: BenchResult) => void;
}

/** One measured run of a scenario, less what `runScenario` fills in from the scenario and its options. */
export type ScenarioRun = Omit<RunSpec, 'scenario' | 'capSeconds' | 'cpuProfileDir'>;

/**
 * Runs a scenario: one measured run per case, in the order given, each result finished (extra figures, a variant
 * suffix), collected and reported through `onResult` as soon as it is in.
 */
export async function runScenario<C>(
  scenario: string,
  opts: ScenarioOptions,
  cases: readonly C[],
  runFor: (c: C) => ScenarioRun,
  finish?: (r: BenchResult, c: C) => void,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of cases) {
    const r = await runMeasured({
      scenario,
      ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
      capSeconds: opts.capSeconds,
      ...(opts.ingesterEnv ? { ingesterEnv: opts.ingesterEnv } : {}),
      ...runFor(c),
    });
    finish?.(r, c);
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}
