import { readdir, stat } from 'node:fs/promises';
import { ScaffoldError } from './scaffold-error.ts';

/** Entries a fresh folder may already hold (`git init my-bot` first is fine). */
const HARMLESS = new Set(['.git']);

/** The target must be absent, an empty folder, or (with `force`) any folder. */
export async function assertUsableDir(dir: string, force: boolean): Promise<void> {
  const info = await stat(dir).catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) throw new ScaffoldError('NOT_A_DIRECTORY', `${dir} exists and is not a folder`);
  if (force) return;
  const entries = (await readdir(dir)).filter((entry) => !HARMLESS.has(entry));
  if (entries.length > 0) {
    throw new ScaffoldError(
      'DIR_NOT_EMPTY',
      `${dir} is not empty (${entries.length} entries); pick a new folder, or pass --force to write into it`,
    );
  }
}
