import { resolve } from 'node:path';
import { planFor } from './bench-plan.ts';
import type { BenchResult } from './bench-result.ts';
import { type CliOptions, parseCliOptions, type ScenarioName, USAGE } from './cli-options.ts';
import { machineInfo } from './harness/machine-info.ts';
import { checkTargets } from './report/check-targets.ts';
import { formatTable, resultsTable } from './report/format-table.ts';
import { writeScenarioFile } from './report/write-results.ts';
import { runBurst } from './scenarios/burst.ts';
import { runCeiling } from './scenarios/ceiling.ts';
import { runHostileHost } from './scenarios/hostile-host.ts';
import { runIsolation } from './scenarios/isolation.ts';
import { runScale } from './scenarios/scale.ts';
import { runSteady } from './scenarios/steady.ts';

// `pnpm bench [--quick] [--scenario ...]`: runs the scenarios, prints a table each, writes bench/results/*.json.
let cli: CliOptions;
try {
  cli = parseCliOptions(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (cli.help) {
  console.log(USAGE);
  process.exit(0);
}

const plan = planFor(cli);
const machine = machineInfo();
console.log(
  `Baton benchmarks${cli.quick ? ' (quick)' : ''}: ${machine.cores} cores (${machine.cpuModel}), ` +
    `${machine.memoryGb} GB, Node ${machine.node}, Redis ${machine.redis}, load ${machine.loadAverage1m}`,
);
const progress = (r: BenchResult) =>
  console.log(
    `  ${r.scenario} ${r.variant} ${r.feedVersion}: lost ${r.lost}, dup ${r.duplicates}, order ${r.orderViolations}, ` +
      `HW ${r.feedHighWater}, drain ${r.drainSeconds ?? `>${r.capSeconds}`} s, p99 ${r.latencyMs.p99} ms, ` +
      `CPU ${r.cost.cpuMsPerEvent.total} ms/event, Redis ${r.cost.redisCommandsPerEvent ?? '-'} cmds/event`,
  );

const common = {
  onResult: progress,
  ...(cli.cpuProfileDir ? { cpuProfileDir: resolve(cli.cpuProfileDir) } : {}),
  ...(cli.ingesterEnv ? { ingesterEnv: cli.ingesterEnv } : {}),
};
if (cli.ingesterEnv) console.log(`ingester env: ${JSON.stringify(cli.ingesterEnv)}`);
const runners: Record<ScenarioName, () => Promise<BenchResult[]>> = {
  burst: () => runBurst({ ...plan.burst, ...common }),
  isolation: () => runIsolation({ ...plan.isolation, ...common }),
  ceiling: () => runCeiling({ ...plan.ceiling, ...common }),
  steady: () => runSteady({ ...plan.steady, ...common }),
  scale: () => runScale({ ...plan.scale, ...common }),
  'hostile-host': () => runHostileHost({ ...plan['hostile-host'], ...common }),
};

const all: Record<string, BenchResult[]> = {};
for (const scenario of cli.scenarios) {
  console.log(`\n== ${scenario}`);
  const results = await runners[scenario]();
  all[scenario] = results;
  const path = writeScenarioFile(
    {
      scenario,
      generatedAt: new Date().toISOString(),
      quick: cli.quick,
      machine: { ...machine, loadAverage1m: machineInfo().loadAverage1m },
      plan: plan[scenario],
      results,
      targets: checkTargets({ [scenario]: results }),
    },
    undefined,
    cli.label,
  );
  console.log(`\n${resultsTable(results)}\n(written to ${path})`);
}

const targets = checkTargets(all);
if (targets.length > 0) {
  console.log('\n== targets');
  console.log(
    formatTable(
      ['scenario', 'target', 'measured', 'met'],
      targets.map((t) => [t.scenario, t.target, t.measured, t.met === null ? '?' : t.met ? 'yes' : 'NO']),
    ),
  );
}
process.exit(0);
