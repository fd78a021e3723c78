import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

// Parsing of the deployment files the static tests read (docker-compose*.yml, the Dockerfile), shared by
// test/compose-*.test.ts and test/kubernetes-*.test.ts.

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type Json = Record<string, unknown>;

export const readRepoFile = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** A YAML file of the repository; `merge: true` resolves `<<: *anchor` merge keys the way compose does. */
export const loadYaml = (path: string): Json => parse(readRepoFile(path), { merge: true }) as Json;

/** The services of a compose file, by name. */
export function composeServices(path = 'docker-compose.yml'): Record<string, Json> {
  return loadYaml(path)['services'] as Record<string, Json>;
}

/** `${VAR:-default}` → default, `${VAR}` → '' (what compose does with an empty .env). */
export const interpolate = (value: unknown): string =>
  String(value).replace(
    /\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g,
    (_m, _name, fallback?: string) => fallback ?? '',
  );

export interface DockerInstruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, with comments dropped, `\` continuations joined and whitespace collapsed. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).replace(/\s+/g, ' ').trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(full);
    if (match) instructions.push({ keyword: (match[1] as string).toUpperCase(), args: match[2] as string });
  }
  return instructions;
}

/** Instructions grouped by stage (whatever precedes the first FROM, the global ARGs, is left out). */
export function dockerStages(instructions: DockerInstruction[]): DockerInstruction[][] {
  const result: DockerInstruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}
