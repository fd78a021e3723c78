import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.ts';

const PRELOAD = join(import.meta.dirname, 'record-loaded-modules.mjs');

/** A child process's module recorder: the env to start it with, then `read()` while it runs. */
export interface LoadedModulesRecorder {
  /** `NODE_OPTIONS` (the recording preload) and `BATON_LOADED_MODULES_FILE`: add them to the child's env. */
  readonly env: Record<string, string>;
  /** Every module the process `pid` has loaded so far (ES module URLs, CommonJS paths), asked by SIGUSR2. */
  read(pid: number): Promise<string[]>;
  /** Removes the recorder's temporary directory. */
  dispose(): void;
}

/**
 * Records which modules a child process loads (e.g. a service at idle), so a test can assert that a heavy
 * dependency stays out of its import graph. The child must not set NODE_OPTIONS itself.
 */
export function recordLoadedModules(): LoadedModulesRecorder {
  const dir = mkdtempSync(join(tmpdir(), 'baton-loaded-modules-'));
  const file = join(dir, 'modules.txt');
  return {
    env: { NODE_OPTIONS: `--import ${PRELOAD}`, BATON_LOADED_MODULES_FILE: file },
    async read(pid) {
      rmSync(file, { force: true });
      process.kill(pid, 'SIGUSR2');
      await waitFor('the loaded-modules list', () => existsSync(file), 10_000);
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
