import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeMarketDataEnvSchema } from '@baton/reference-bot';
import { describeEnv } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { ROOT, SERVICE_SCHEMAS } from '../tools/config-docs.ts';

// .env.example documents every variable of every process (the schemas are the source of truth) and sets none:
// all its lines are commented out, so `cp .env.example .env` is safe for `pnpm start` and `docker compose` alike.

const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
const documented = new Set([...text.matchAll(/^#\s?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
/** Set by pnpm itself, not by operators. */
const NOT_OPERATOR_SETTINGS = new Set(['INIT_CWD']);

describe('.env.example', () => {
  it("names every variable of every process's config schema", () => {
    const schemas = [...SERVICE_SCHEMAS, { service: 'market-data', schema: fakeMarketDataEnvSchema }];
    const missing: string[] = [];
    for (const { service, schema } of schemas) {
      for (const { name } of describeEnv(schema)) {
        if (!documented.has(name) && !NOT_OPERATOR_SETTINGS.has(name)) missing.push(`${service}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('sets nothing: copied to .env it changes no default', () => {
    // What dotenv readers (compose, `pnpm start`) take as a setting: `NAME=value`, optionally `export NAME=…`.
    const settings = (t: string) => t.split('\n').filter((l) => /^\s*(export\s+)?[A-Za-z_]\w*\s*=/.test(l));
    expect(settings(text)).toEqual([]);
    expect(settings(`${text}\nREDIS_URL=redis://redis:6379\n`)).toEqual(['REDIS_URL=redis://redis:6379']);
  });

  it('explains each variable: a comment line right above every name', () => {
    const lines = text.split('\n');
    const bare = lines.filter((line, i) => {
      if (!/^#\s?[A-Z][A-Z0-9_]*=/.test(line)) return false;
      // Walk up over the group's other names to its explanation.
      for (let j = i - 1; j >= 0; j--) {
        const above = lines[j] ?? '';
        if (/^#\s?[A-Z][A-Z0-9_]*=/.test(above)) continue;
        return !(above.startsWith('# ') && above.length > 3);
      }
      return true;
    });
    expect(bare).toEqual([]);
  });
});
