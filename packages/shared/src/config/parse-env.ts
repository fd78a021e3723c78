import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { type DeepReadonly, deepFreeze } from './deep-freeze.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Variables whose values are never echoed in error messages. */
const SECRET_NAME = /KEY|TOKEN|PASSWORD|SECRET|CERT|CREDENTIAL/i;

/**
 * Parses a service's environment against its zod object schema:
 * 1. for every schema key `X` unset (or empty) in `env`, if `X_FILE` is set, reads that file
 *    (trailing newline trimmed) — the Docker/Kubernetes secrets convention;
 * 2. empty strings count as unset (so defaults apply);
 * 3. zod-parses; on failure throws `ConfigError` naming every bad variable and what was expected
 *    (secret values are never echoed);
 * 4. returns the result deep-frozen.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Env,
  opts: { service: string },
): DeepReadonly<z.infer<S>> {
  const input: Record<string, string> = {};
  const fromFile = new Set<string>();
  const problems: { variable: string; problem: string }[] = [];

  for (const key of Object.keys(schema.shape)) {
    const direct = env[key];
    if (direct !== undefined && direct !== '') {
      input[key] = direct;
      continue;
    }
    const file = env[`${key}_FILE`];
    if (file === undefined || file === '') continue;
    try {
      input[key] = readFileSync(file, 'utf8').replace(/(\r?\n)+$/, '');
      fromFile.add(key);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push({ variable: `${key}_FILE`, problem: `cannot read file "${file}" (${code})` });
    }
  }

  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      if (problems.some((p) => p.variable === key)) continue;
      const raw = input[key];
      const source = fromFile.has(key) ? ` (from ${key}_FILE)` : '';
      const problem =
        raw === undefined ? 'required but not set' : `${issue.message}, got ${showValue(key, raw)}${source}`;
      problems.push({ variable: key, problem });
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.problem}`);
    throw new ConfigError(`Invalid configuration for ${opts.service}:\n${lines.join('\n')}`, problems);
  }
  return deepFreeze(result.data as z.infer<S>);
}

function showValue(key: string, value: string): string {
  if (SECRET_NAME.test(key)) return `<hidden, ${value.length} chars>`;
  const masked = value.replace(/\/\/[^/@\s]*@/, '//***@');
  return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
}
