import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DevSetupError } from './dev-setup-error.ts';
import { resolvePackageDir } from './resolve-package-dir.ts';

/** The file `baton dev` runs for one process of a package. */
export interface ServiceEntry {
  /** The package's folder. */
  dir: string;
  /** The file node runs: `src/<entry>.ts` (source mode) or `dist/<entry>.js`. */
  file: string;
  /** A TypeScript source: runs through tsx, with the `@baton/source` export condition. */
  source: boolean;
}

export interface ServiceEntryOptions {
  projectDir: string;
  /** Source mode (`--sources`, BATON_DEV_SOURCES): run `src/<entry>.ts` when the package has it. */
  sources: boolean;
  /** The entry's name without extension (default `main`). */
  entry?: string;
  /** Where the package is when the project does not resolve it (the worker: the package of this CLI). */
  fallbackDir?: string;
}

/**
 * Where `name`'s process entry is: resolved from the project, `src/<entry>.ts` in source mode when the package
 * has its sources (the Baton repository), else the compiled `dist/<entry>.js` (an installed package).
 * Throws DevSetupError when the package is not installed (MISSING_PACKAGE) or not built (NOT_BUILT).
 */
export function resolveServiceEntry(name: string, opts: ServiceEntryOptions): ServiceEntry {
  const dir = resolvePackageDir(name, opts.projectDir) ?? opts.fallbackDir;
  if (dir === undefined) {
    throw new DevSetupError(
      'MISSING_PACKAGE',
      `baton dev needs ${name}, which this project does not have: add it as a devDependency (pnpm add -D ${name})`,
    );
  }
  const entry = opts.entry ?? 'main';
  const src = join(dir, 'src', `${entry}.ts`);
  const hasSources = existsSync(src);
  if (opts.sources && hasSources) return { dir, file: src, source: true };
  const dist = join(dir, 'dist', `${entry}.js`);
  if (!existsSync(dist)) {
    const shown = relative(opts.projectDir, dist) || dist;
    throw new DevSetupError(
      'NOT_BUILT',
      `${name} is not built (no ${shown}): run pnpm build${hasSources ? ', or pass --sources to run its TypeScript sources' : ''}`,
    );
  }
  return { dir, file: dist, source: false };
}
