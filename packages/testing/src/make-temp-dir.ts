import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder of a test: its path, and `remove()` (the folder and all in it; again is a no-op). */
export interface TempDir {
  path: string;
  remove: () => void;
}

/** Creates a fresh folder under the system's temporary folder, its name `prefix` and random characters. */
export function makeTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
