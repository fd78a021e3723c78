import { join } from 'node:path';
import { NodeProcess } from '@baton/testing';

const SERVICE_DIR = join(import.meta.dirname, '..', '..');

/** The ingester's `src/main.ts` as a child process with exactly `env` (plus PATH/HOME); not started yet. */
export function childIngester(env: Record<string, string>, name = 'ingester'): NodeProcess {
  return new NodeProcess({ name, entry: 'src/main.ts', cwd: SERVICE_DIR, env });
}
