import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { runNode } from '@baton/testing';
import { describe, expect, it } from 'vitest';

const FIXTURE = new URL('./support/own-priority-main.ts', import.meta.url).pathname;

async function nicenessAfter(nice: number): Promise<{ main: number; threads: number[] }> {
  const run = await runNode({ name: 'own-priority', entry: FIXTURE, args: [String(nice)] }, 30_000);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

describe.runIf(existsSync('/proc/self/task'))('WORKER_NICE: a worker lowers its own CPU priority', () => {
  it('sets every thread of the process to the configured nice value', async () => {
    const nice = Math.min(19, Math.max(7, getPriority() + 2)); // lower than this process's, whatever it is
    const { main, threads } = await nicenessAfter(nice);
    expect(main).toBe(nice);
    expect(threads.length).toBeGreaterThan(1); // libuv's pool and V8's helpers too, not only the event loop
    for (const n of threads) expect(n).toBe(nice);
  });

  it('0 leaves the priority it was started with', async () => {
    const { threads } = await nicenessAfter(0);
    for (const n of threads) expect(n).toBe(getPriority()); // inherited from this process, untouched
  });
});
