import type { BatonTarball } from './find-baton-tarballs.ts';
import { ScaffoldError } from './scaffold-error.ts';

/** The parts of the scaffolded package.json that `useTarballs` touches. */
export interface ProjectPackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  pnpm?: { overrides?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

const isBaton = (name: string) => name.startsWith('@baton/');
const spec = (tarball: BatonTarball) => `file:${tarball.path}`;

/**
 * Points every `@baton/*` dependency of `pkg` at its tarball (`file:<absolute path>`) and adds a
 * `pnpm.overrides` entry for every tarball, so the `@baton/*` packages those depend on come from the tarballs
 * too. Throws MISSING_TARBALL, naming them all, when direct or transitive `@baton/*` dependencies have none.
 */
export function useTarballs(
  pkg: ProjectPackageJson,
  tarballs: ReadonlyMap<string, BatonTarball>,
  folder: string,
): ProjectPackageJson {
  const missing = new Map<string, string>(); // package → who needs it
  // The tarballs the project needs, direct ones first; the walk below appends what they need.
  const required: BatonTarball[] = [];
  const next: ProjectPackageJson = { ...pkg };
  for (const key of ['dependencies', 'devDependencies'] as const) {
    const deps = pkg[key];
    if (!deps) continue;
    next[key] = Object.fromEntries(
      Object.entries(deps).map(([name, range]) => {
        if (!isBaton(name)) return [name, range];
        const tarball = tarballs.get(name);
        if (!tarball) {
          missing.set(name, 'the new project');
          return [name, range];
        }
        required.push(tarball);
        return [name, spec(tarball)];
      }),
    );
  }
  // Without a tarball (and its override), pnpm would look for a transitive one in the registry.
  const seen = new Set(required.map((t) => t.name));
  for (const tarball of required) {
    for (const dep of tarball.requires.filter(isBaton)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const needed = tarballs.get(dep);
      if (needed) required.push(needed);
      else missing.set(dep, `${tarball.name}@${tarball.version}`);
    }
  }
  if (missing.size > 0) {
    const byNeeder = new Map<string, string[]>();
    for (const [name, by] of missing) byNeeder.set(by, [...(byNeeder.get(by) ?? []), name]);
    const list = [...byNeeder].map(([by, names]) => `${names.join(', ')} (needed by ${by})`).join('; ');
    throw new ScaffoldError(
      'MISSING_TARBALL',
      `--tarballs: ${folder} has no tarball of ${list}; run \`pnpm pack\` in each and put the .tgz there`,
    );
  }
  const overrides = Object.fromEntries(
    [...tarballs.values()].sort((a, b) => a.name.localeCompare(b.name)).map((t) => [t.name, spec(t)]),
  );
  next.pnpm = { ...pkg.pnpm, overrides: { ...pkg.pnpm?.overrides, ...overrides } };
  return next;
}
