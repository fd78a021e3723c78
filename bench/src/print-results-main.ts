import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioFile } from './bench-result.ts';
import { SCENARIOS } from './cli-options.ts';
import type { TargetCheck } from './report/check-targets.ts';
import { formatTable, resultsTable } from './report/format-table.ts';
import { RESULTS_DIR, resultFileName } from './report/write-results.ts';

// `tsx bench/src/print-results-main.ts [--quick] [--label x]`: prints stored results as Markdown (for the docs).
const quick = process.argv.includes('--quick');
const labelAt = process.argv.indexOf('--label');
const label = labelAt >= 0 ? process.argv[labelAt + 1] : undefined;
for (const scenario of SCENARIOS) {
  const path = join(RESULTS_DIR, resultFileName(scenario, quick, label));
  if (!existsSync(path)) continue;
  const file = JSON.parse(readFileSync(path, 'utf8')) as ScenarioFile;
  const m = file.machine;
  console.log(`### ${scenario}\n`);
  console.log(
    `${file.generatedAt}: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}, Redis ${m.redis}, ` +
      `load ${file.results.map((r) => r.loadAverage1m.start).join('/')}\n`,
  );
  console.log(`${resultsTable(file.results)}\n`);
  const targets = file.targets as TargetCheck[];
  if (targets.length > 0) {
    console.log(
      `${formatTable(
        ['target', 'measured', 'met'],
        targets.map((t) => [t.target, t.measured, t.met === null ? '?' : t.met ? 'yes' : 'NO']),
      )}\n`,
    );
  }
}
