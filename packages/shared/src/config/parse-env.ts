import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { checkAgentLoadBalancing } from './check-agent-load-balancing.ts';
import { checkSymphonyAuth } from './check-symphony-auth.ts';
import { ConfigError } from './config-error.ts';
import { type DeepReadonly, deepFreeze } from './deep-freeze.ts';
import { layerSymphonyConfigFile } from './symphony-config-file-layer.ts';

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
 * A schema with the Symphony fragment also gets `SYMPHONY_CONFIG_FILE` (a BDK config file, whose values come
 * under the environment's) and the fragment's cross-variable checks (one authentication, a loadable certificate,
 * one form of the agent URLs).
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Env,
  opts: { service: string },
): DeepReadonly<z.infer<S>> {
  const input: Record<string, unknown> = {};
  const fromFile = new Set<string>();
  const layer = layerSymphonyConfigFile(schema.shape, env);
  const problems: { variable: string; problem: string }[] = [...layer.problems];
  const fromConfig = (key: string): string =>
    layer.sources[key] ? ` (from SYMPHONY_CONFIG_FILE ${layer.sources[key]})` : '';

  for (const key of Object.keys(schema.shape)) {
    if (key === 'SYMPHONY_CONFIG_FILE') {
      if (layer.info) input[key] = layer.info;
      continue;
    }
    const direct = layer.env[key];
    if (direct !== undefined && direct !== '') {
      input[key] = direct;
      continue;
    }
    const file = layer.env[`${key}_FILE`];
    if (file === undefined || file === '') continue;
    try {
      input[key] = readFileSync(file, 'utf8').replace(/(\r?\n)+$/, '');
      fromFile.add(key);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push({
        variable: `${key}_FILE`,
        problem: `cannot read file "${file}" (${code})${fromConfig(key)}`,
      });
    }
  }

  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '(root)');
      if (problems.some((p) => p.variable === key)) continue;
      const raw = input[key];
      const source = (fromFile.has(key) ? ` (from ${key}_FILE)` : '') + fromConfig(key);
      const problem =
        raw === undefined
          ? 'required but not set'
          : `${issue.message}, got ${typeof raw === 'string' ? showValue(key, raw) : 'an object'}${source}`;
      problems.push({ variable: key, problem });
    }
  }
  if ('SYMPHONY_PRIVATE_KEY' in schema.shape) {
    const known = new Set(problems.map((p) => p.variable.replace(/_FILE$/, '')));
    problems.push(...checkSymphonyAuth(input, fromConfig).filter((p) => !known.has(p.variable)));
  }
  if ('SYMPHONY_AGENT_URLS' in schema.shape) {
    const known = new Set(problems.map((p) => p.variable.replace(/_FILE$/, '')));
    problems.push(...checkAgentLoadBalancing(input, fromConfig).filter((p) => !known.has(p.variable)));
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
