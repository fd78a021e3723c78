import { join } from 'node:path';
import { NodeProcess, type NodeProcessOptions } from '../../src/node-process.ts';
import { waitFor } from '../../src/wait-for.ts';

/** A script that runs until killed: what the leak check's tests leave behind on purpose. */
export const LINGER = join(import.meta.dirname, '..', 'fixtures', 'linger.ts');

/** Starts `LINGER` (by default; `options` may run it another way) and waits until it says it is up. */
export async function startLingerer(options: Partial<NodeProcessOptions> = {}): Promise<NodeProcess> {
  const child = new NodeProcess({ name: 'lingerer', entry: LINGER, ...options });
  child.start();
  await waitFor(
    'the lingerer',
    () => child.lines.some((l) => l.startsWith('lingering')),
    20_000,
    () => child.tail(),
  );
  return child;
}
