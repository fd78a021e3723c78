import { existsSync, readFileSync } from 'node:fs';
import { composeOnlyVariables } from './compose-only-values.ts';

/**
 * Parses a `.env` file: `KEY=value` lines, `#` comments, optional `export `, single or double quotes
 * (double quotes understand \n), inline ` #` comments after unquoted values. Malformed lines are skipped.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1] as string;
    let value = m[2] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[key] = value;
  }
  return out;
}

/**
 * The environment `baton dev` works with: the variables of the `.env` at `path` (when it exists) under the
 * process environment (a variable set in the shell wins, as with dotenv). Values written for docker compose that
 * cannot work on the host are left out (`ignored`); `used` lists what `.env` contributed.
 */
export function loadDotenv(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): { env: Record<string, string | undefined>; used: string[]; ignored: string[] } {
  if (!existsSync(path)) return { env: { ...env }, used: [], ignored: [] };
  const fromFile = parseDotenv(readFileSync(path, 'utf8'));
  const ignored = composeOnlyVariables(fromFile);
  for (const key of ignored) delete fromFile[key];
  const used = Object.keys(fromFile).filter((k) => env[k] === undefined);
  return { env: { ...fromFile, ...env }, used, ignored };
}
