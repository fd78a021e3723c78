import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../src/workspace-root.ts';

// @baton/testing is test support: tests, test support and the bench harness import it, each through a declared
// dependency; no package's src does (the bench's harness excepted: it runs from sources, and measures processes
// it starts with the launcher).

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? tsFiles(path) : /\.[cm]?ts$/.test(e.name) ? [path] : [];
  });
}

const imports = (file: string) => /from '@baton\/testing'/.test(readFileSync(file, 'utf8'));

const packageDirs = ['packages', 'services', 'bots'].flatMap((group) =>
  readdirSync(join(WORKSPACE_ROOT, group), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(WORKSPACE_ROOT, group, e.name, 'package.json')))
    .map((e) => join(WORKSPACE_ROOT, group, e.name)),
);

describe('who imports @baton/testing', () => {
  it('no package’s src', () => {
    const offenders = packageDirs
      .flatMap((dir) => tsFiles(join(dir, 'src')))
      .filter((f) => !f.startsWith(join(WORKSPACE_ROOT, 'packages', 'testing')))
      .filter(imports)
      .map((f) => relative(WORKSPACE_ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('every package whose files import it declares it', () => {
    const candidates = [
      ...packageDirs.filter((d) => d !== join(WORKSPACE_ROOT, 'packages', 'testing')),
      join(WORKSPACE_ROOT, 'bench'),
      WORKSPACE_ROOT,
    ];
    const importers = candidates.filter((dir) =>
      (dir === WORKSPACE_ROOT ? tsFiles(join(dir, 'test')) : tsFiles(dir)).some(imports),
    );
    const name = (dir: string) => relative(WORKSPACE_ROOT, dir) || '(root)';
    expect(importers.map(name)).toEqual(expect.arrayContaining(['services/worker', 'bench', '(root)']));
    const undeclared = importers.filter((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      return !('@baton/testing' in { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) });
    });
    expect(undeclared.map(name)).toEqual([]);
  });
});

// Tests reach other packages through declared dependencies and their exports (a source-only `internals` subpath
// where a test needs an internal piece), never by a relative path into another package's src.
describe('cross-package test imports', () => {
  it('no test or test support imports another package’s src by a relative path', () => {
    const reaching = /from '(?:\.\.\/)+(?:packages|services|bots)\/[^/']+\/src\//;
    const files = [
      ...tsFiles(join(WORKSPACE_ROOT, 'test')),
      ...tsFiles(join(WORKSPACE_ROOT, 'bench')),
      ...packageDirs.flatMap((dir) => tsFiles(join(dir, 'test'))),
    ];
    const offenders = files
      .filter((f) => reaching.test(readFileSync(f, 'utf8')))
      .map((f) => relative(WORKSPACE_ROOT, f));
    expect(offenders).toEqual([]);
  });
});
