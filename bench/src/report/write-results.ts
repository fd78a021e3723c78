import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScenarioFile } from '../bench-result.ts';

export const RESULTS_DIR = resolve(import.meta.dirname, '../../results');

/** The result file name: `<scenario>[.quick][.<label>].json`. */
export function resultFileName(scenario: string, quick: boolean, label?: string): string {
  return `${scenario}${quick ? '.quick' : ''}${label ? `.${label}` : ''}.json`;
}

/** Writes `bench/results/<scenario>[.quick][.<label>].json`; returns the path. */
export function writeScenarioFile(file: ScenarioFile, dir = RESULTS_DIR, label?: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, resultFileName(file.scenario, file.quick, label));
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
