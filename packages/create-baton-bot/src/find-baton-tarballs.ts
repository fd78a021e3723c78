import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readTarballManifest, type TarballManifest } from './read-tarball-manifest.ts';
import { ScaffoldError } from './scaffold-error.ts';

/** A `@baton/*` package packed with `pnpm pack`. */
export interface BatonTarball extends TarballManifest {
  /** Absolute path of the `.tgz`. */
  path: string;
}

/**
 * The `@baton/*` tarballs in `dir` (e.g. `baton-bot-0.1.0.tgz`), by package name. The name is read from the
 * package.json inside each `.tgz`, not guessed from the file name; other packages' tarballs are ignored.
 */
export async function findBatonTarballs(dir: string): Promise<Map<string, BatonTarball>> {
  const folder = resolve(dir);
  const isDir = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new ScaffoldError('TARBALLS_NOT_FOUND', `--tarballs: ${folder} is not a folder`);
  const found = new Map<string, BatonTarball>();
  const entries = await readdir(folder, { withFileTypes: true });
  const tarballs = entries.filter((e) => e.isFile() && e.name.endsWith('.tgz')).map((e) => e.name);
  for (const file of tarballs.sort()) {
    const path = join(folder, file);
    const manifest = await readTarballManifest(path);
    if (!manifest.name.startsWith('@baton/')) continue;
    const twin = found.get(manifest.name);
    if (twin) {
      throw new ScaffoldError(
        'DUPLICATE_TARBALL',
        `--tarballs: ${folder} holds two tarballs of ${manifest.name} (${twin.path} and ${path}); keep one`,
      );
    }
    found.set(manifest.name, { ...manifest, path });
  }
  return found;
}
