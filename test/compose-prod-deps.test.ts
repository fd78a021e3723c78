import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each image holds only its package's production tree (`pnpm deploy --prod` in the Dockerfile), so everything
// the entry point loads at run time must be a `dependencies` entry of the package that imports it: a
// devDependency works in the workspace and fails in the image. This follows the import graph from each
// service's `src/main.ts` (relative imports, and `@baton/*` workspace packages through their `exports`), and
// lists every runtime import of a package its importer does not declare as a production dependency.
// (Checked once by hand with a real `pnpm deploy --prod --legacy --offline` of each service: every entry point
// loads its modules and stops at its configuration.)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACE: Record<string, string> = {
  '@baton/shared': 'packages/shared',
  '@baton/pod-simulator': 'packages/pod-simulator',
  '@baton/worker': 'services/worker',
  '@baton/ingester': 'services/ingester',
  '@baton/dashboard': 'services/dashboard',
  '@baton/bot': 'packages/bot',
  '@baton/reference-bot': 'bots/reference',
};
const BUILTINS = new Set(builtinModules);

interface Pkg {
  dir: string;
  dependencies: Record<string, string>;
  /** Subpath → the file the workspace resolves it to (the `@baton/source` condition: the TypeScript source). */
  exports: Record<string, string>;
}
type ExportTarget = string | Record<string, string>;
const pkgCache = new Map<string, Pkg>();
function pkg(dir: string): Pkg {
  let found = pkgCache.get(dir);
  if (!found) {
    const json = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Partial<Pkg>;
    const raw = (json.exports ?? {}) as Record<string, ExportTarget>;
    const exports = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : (v['@baton/source'] ?? '')]),
    );
    found = { dir, dependencies: json.dependencies ?? {}, exports };
    pkgCache.set(dir, found);
  }
  return found;
}

/** Runtime import specifiers of a TypeScript file (type-only imports and exports are erased: left out). */
function runtimeImports(source: string): string[] {
  const specs: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    if (m[2] === undefined) specs.push(m[4] as string);
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specs.push(m[1] as string);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1] as string);
  return specs;
}

const packageName = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Every runtime import of a package that its importer does not list in `dependencies`, from `entry`. */
function undeclaredImports(serviceDir: string, entry: string): { problems: string[]; files: number } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, owner: Pkg) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        visit(resolve(dirname(file), spec), owner);
        continue;
      }
      if (spec.startsWith('node:') || BUILTINS.has(spec)) continue;
      const name = packageName(spec);
      if (owner.dependencies[name] === undefined) {
        problems.push(
          `${join(owner.dir, 'package.json')} lacks "${name}" (imported by ${file.slice(root.length + 1)})`,
        );
      }
      const workspaceDir = WORKSPACE[name];
      if (workspaceDir) {
        const target = pkg(workspaceDir);
        const sub = `.${spec.slice(name.length)}`;
        const exported = target.exports[sub];
        if (exported === undefined) problems.push(`${name} does not export "${sub}" (imported as ${spec})`);
        else visit(join(root, workspaceDir, exported), target);
      }
    }
  };
  visit(join(root, serviceDir, entry), pkg(serviceDir));
  return { problems, files: seen.size };
}

const ENTRIES = [
  ['worker runtime', 'services/worker', 'src/main.ts'],
  ['baton CLI (baton dev, baton worker, baton dlq)', 'services/worker', 'src/cli/baton.ts'],
  ["reference bot (the worker image's BOT_MODULE)", 'bots/reference', 'src/index.ts'],
  [
    'market data (the demo /quote service, in the worker image)',
    'bots/reference',
    'src/fake-market-data-main.ts',
  ],
  ['ingester', 'services/ingester', 'src/main.ts'],
  ['dashboard', 'services/dashboard', 'src/main.ts'],
  ['pod-simulator', 'packages/pod-simulator', 'src/main.ts'],
] as const;

describe('what each image runs needs only production dependencies', () => {
  it.each(ENTRIES)('%s', (_name, dir, entry) => {
    expect(existsSync(join(root, dir, entry))).toBe(true);
    const { problems, files } = undeclaredImports(dir, entry);
    expect(problems).toEqual([]);
    // The walk reached the service's modules and @baton/shared's, not just the entry file.
    expect(files).toBeGreaterThan(entry.includes('market-data') ? 2 : 20);
  });

  it("the worker image is the reference bot's package, which depends on the worker runtime", () => {
    expect(pkg('bots/reference').dependencies['@baton/worker']).toBeDefined();
  });

  it('reads imports as the runtime does (so the check can fail)', () => {
    const source = [
      "import { a, type B } from 'kept';",
      "import type { C } from 'type-only';",
      "export type { D } from 'type-export';",
      "export { e } from './relative.ts';",
      "import 'side-effect';",
      "// import { f } from 'commented';",
      "const g = await import('dynamic');",
      'import {',
      '  h,',
      "} from '@scope/pkg/sub';",
    ].join('\n');
    expect(runtimeImports(source).sort()).toEqual(
      ['./relative.ts', '@scope/pkg/sub', 'dynamic', 'kept', 'side-effect'].sort(),
    );
    // The dashboard's test-only dependency would be caught if its runtime imported it.
    expect(pkg('services/dashboard').dependencies['playwright-core']).toBeUndefined();
  });
});
