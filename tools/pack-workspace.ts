import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tools/..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..');

/** The publishable packages of the workspace: every package under packages/, services/, bots/ not `private`. */
export function publishablePackages(root = REPO_ROOT): { name: string; dir: string }[] {
  const found: { name: string; dir: string }[] = [];
  for (const group of ['packages', 'services', 'bots']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const manifest = join(base, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; private?: boolean };
      if (pkg.private !== true) found.push({ name: pkg.name, dir: join(base, entry.name) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `pnpm pack`s every publishable package (built beforehand: `pnpm build`) into `dest`, emptied first, and
 * returns the tarball paths. pnpm replaces `workspace:*` with the packages' versions, as `pnpm publish` does.
 */
export function packWorkspace(dest: string, root = REPO_ROOT): string[] {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const { dir } of publishablePackages(root)) {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${dir} has no dist/: run pnpm build first`);
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'ignore' });
  }
  return readdirSync(dest)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(dest, f));
}
