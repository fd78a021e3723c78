import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// src/*.ts (run with tsx) and dist/*.js (published) both sit one level below the package root.
const root = new URL('../', import.meta.url);

/** Where the templates of the scaffolded project are. */
export const templatesDir = fileURLToPath(new URL('templates/', root));

/** This package's own version (from its package.json), e.g. `0.1.0`. */
export async function readOwnVersion(): Promise<string> {
  const pkg: unknown = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  if (typeof version !== 'string') throw new Error('create-baton-bot: its package.json has no version');
  return version;
}
