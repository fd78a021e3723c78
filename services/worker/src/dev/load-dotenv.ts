import { existsSync, readFileSync } from 'node:fs';
import { composeOnlyVariables } from './compose-only-values.ts';

/** A parsed `.env`: its values, and what could not be read (line number and why; never the value). */
export interface DotenvParse {
  values: Record<string, string>;
  problems: string[];
}

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * Parses a `.env` file as docker compose reads one: `KEY=value` lines, `#` comments, optional `export `, single
 * quotes (literal) or double quotes (`\n`, `\t`, `\"`, `\\` understood), either of which may span several lines
 * (a PEM key pasted as is), and inline ` #` comments after unquoted values. A line that is none of these, or a
 * quote that is never closed, is reported in `problems` (by line number and key, never the value) and skipped.
 */
export function parseDotenvFile(text: string): DotenvParse {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = ASSIGNMENT.exec(raw);
    if (!m) {
      problems.push(`line ${i + 1}: not KEY=value, skipped`);
      continue;
    }
    const key = m[1] as string;
    const rest = raw.slice(m[0].length);
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      values[key] = rest.replace(/\s+#.*$/, '').trim();
      continue;
    }
    // A quoted value: read until the closing quote, over as many lines as it takes.
    const start = i;
    let body = rest.slice(1);
    let value = '';
    let closed = false;
    let after = '';
    for (;;) {
      let j = 0;
      while (j < body.length) {
        const c = body[j] as string;
        if (quote === '"' && c === '\\' && j + 1 < body.length) {
          const next = body[j + 1] as string;
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          after = body.slice(j + 1);
          break;
        }
        value += c;
        j++;
      }
      if (closed || i + 1 >= lines.length) break;
      value += '\n';
      i++;
      body = lines[i] as string;
    }
    if (!closed) {
      problems.push(
        `line ${start + 1}: ${key}: the ${quote === '"' ? 'double' : 'single'} quote is never closed, skipped`,
      );
      break;
    }
    if (after.trim() !== '' && !/^[ \t]+#/.test(after) && !after.trim().startsWith('#')) {
      problems.push(`line ${i + 1}: ${key}: text after the closing quote, ignored`);
    }
    values[key] = value;
  }
  return { values, problems };
}

/** The values of a `.env` text (see parseDotenvFile; problems are dropped). */
export function parseDotenv(text: string): Record<string, string> {
  return parseDotenvFile(text).values;
}

/**
 * The environment `baton dev` works with: the variables of the `.env` at `path` (when it exists) under the
 * process environment (a variable set in the shell wins, as with dotenv). Values written for docker compose that
 * cannot work on the host are left out (`ignored`); `used` lists what `.env` contributed; `problems` the lines
 * that could not be read.
 */
export function loadDotenv(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): { env: Record<string, string | undefined>; used: string[]; ignored: string[]; problems: string[] } {
  if (!existsSync(path)) return { env: { ...env }, used: [], ignored: [], problems: [] };
  const { values: fromFile, problems } = parseDotenvFile(readFileSync(path, 'utf8'));
  const ignored = composeOnlyVariables(fromFile);
  for (const key of ignored) delete fromFile[key];
  const used = Object.keys(fromFile).filter((k) => env[k] === undefined);
  return { env: { ...fromFile, ...env }, used, ignored, problems };
}
