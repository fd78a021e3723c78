import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { canListProcesses, isAlive, NodeProcess, waitFor } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BatonDevChild,
  bannerPids,
  hasRedisServer,
  REPO_ROOT,
  startBatonDev,
} from './support/baton-dev-child.ts';

// A service orphaned with its pipes closed and its Redis gone still stops on SIGTERM within its shutdown timeout.
// The stack's own dashboard, ingester, worker, simulator and market-data fake are started again, with the same command line and environment,
// as orphans (no parent to watch, stdout and stderr without a reader: every log line fails with EPIPE); then the
// stack stops (its Redis with it) and each orphan gets SIGTERM. Before the fix the dashboard hung for good in
// process.exit(), in pino's flush of its last lines to the closed pipe.

let dev: BatonDevChild | undefined;
const orphans: number[] = [];
afterAll(async () => {
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await dev?.cleanUp();
}, 60_000);

const proc = (pid: number, file: 'cmdline' | 'environ'): string[] =>
  readFileSync(`/proc/${pid}/${file}`, 'latin1')
    .split('\0')
    .filter((s) => s !== '');

async function orphanOf(pid: number, overrides: Record<string, string>): Promise<number> {
  const [command, ...args] = proc(pid, 'cmdline');
  const env = Object.fromEntries(
    proc(pid, 'environ')
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])
      // Its IPC channel to baton dev (an orphan has none).
      .filter(([name]) => !name?.startsWith('NODE_CHANNEL_')),
  );
  const launcher = new NodeProcess({
    name: 'orphan launcher',
    entry: 'test/support/orphan-launcher.ts',
    cwd: REPO_ROOT,
    env: { ORPHAN_SPEC: JSON.stringify({ command, args, env: { ...env, ...overrides } }) },
  });
  launcher.start();
  await launcher.exited();
  const orphan = Number(/orphan (\d+)/.exec(launcher.output())?.[1]);
  expect(orphan).toBeGreaterThan(0);
  orphans.push(orphan);
  return orphan;
}

describe.skipIf(!hasRedisServer || !canListProcesses)('an orphaned service', () => {
  it('exits on SIGTERM within its shutdown timeout with its pipes closed and its Redis stopped', async () => {
    dev = startBatonDev({ args: ['dev', '--sources', '--bot', '@baton/reference-bot', '--workers', '1'] });
    const d = dev;
    await d.waitFor('the ready banner', () => d.bannerValue('pids'), 60_000);
    const pids = bannerPids(d);
    // Chatty (info): each writes to its closed stdout from the start, and again while it stops.
    const common = { LOG_LEVEL: 'info', OPS_PORT: '0', BATON_STACK_ID: 'orphans' };
    const started = {
      dashboard: await orphanOf(pids['dashboard'] as number, { ...common, DASHBOARD_PORT: '0' }),
      ingester: await orphanOf(pids['ingester'] as number, { ...common, INSTANCE_ID: 'orphan-ingester' }),
      worker: await orphanOf(pids['worker-1'] as number, { ...common, WORKER_ID: 'orphan-worker' }),
      // No Redis of their own: what they lose is their pipes and their parent.
      simulator: await orphanOf(pids['pod-simulator'] as number, { SIM_PORT: '0', SIM_LOG_LEVEL: 'info' }),
      'market data': await orphanOf(pids['market-data'] as number, { MARKET_DATA_PORT: '0' }),
    };
    // Let them log for a while into the closed pipes.
    await sleep(2_000);
    for (const pid of Object.values(started)) expect(isAlive(pid)).toBe(true);

    // The stack stops, its Redis with it: the orphans lose Redis too.
    void d.cli.kill('SIGINT');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(pids['redis'] as number)).toBe(false);
    await sleep(1_000);

    // Each orphan: SIGTERM, gone within its SHUTDOWN_TIMEOUT_MS (5 s dashboard, ingester and simulator, 6 s worker)
    // + 3 s.
    const t0 = Date.now();
    for (const pid of Object.values(started)) process.kill(pid, 'SIGTERM');
    for (const [name, pid] of Object.entries(started)) {
      await waitFor(
        `the orphaned ${name} to exit after SIGTERM`,
        () => !isAlive(pid),
        9_000 - (Date.now() - t0),
      );
    }
  }, 120_000);
});
