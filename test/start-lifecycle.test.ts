import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canListProcesses, isAlive, waitFor } from '@baton/testing';
import { readStackRecord, stackRecordPath } from '@baton/worker/internals';
import { afterAll, describe, expect, it } from 'vitest';
import {
  askTheBot,
  type BatonDevChild,
  bannerPids,
  getJson,
  hasRedisServer,
  startBatonDev,
  tradingDesk,
} from './support/baton-dev-child.ts';

// How a `baton dev` stack ends, however it ends: killed outright (SIGKILL: nothing may be left behind, the next
// start must be clean), a closed terminal (SIGHUP: a clean stop, exit 0), a second start on the same BATON_HOME
// while the first runs (it says what runs and how to stop it, or stops it), and a standby ingester taking the
// lease over when the leader dies (INGESTERS=2).

const runs: BatonDevChild[] = [];
const homes: string[] = [];
// Generous: each cleanUp may wait up to 15 s for a stack to stop on SIGINT before it SIGKILLs what is left.
afterAll(async () => {
  await Promise.all(runs.map((run) => run.cleanUp()));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
}, 60_000);

function sharedHome(label: string): { home: string; prefix: string } {
  const home = mkdtempSync(join(tmpdir(), `baton-dev-${label}-`));
  homes.push(home);
  return { home, prefix: `dev-${label}-${process.pid}-${Date.now().toString(36)}` };
}

function start(shared: { home: string; prefix: string }, env: Record<string, string> = {}): BatonDevChild {
  const run = startBatonDev({
    args: ['dev', '--sources', '--bot', '@baton/reference-bot', '--workers', '1'],
    shared,
    env,
  });
  runs.push(run);
  return run;
}

const simOf = (d: BatonDevChild) => (d.bannerValue('sim control') ?? '').replace(/\/_sim$/, '');

async function exitOf(d: BatonDevChild, ms: number) {
  return Promise.race([
    d.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no exit within ${ms} ms:\n${d.output().slice(-3000)}`)), ms),
    ),
  ]);
}

describe.skipIf(!hasRedisServer || !canListProcesses)('baton dev: every way it ends', () => {
  it('SIGKILLed: every child is gone within seconds; the next start is clean; SIGHUP stops it with exit 0', async () => {
    const shared = sharedHome('kill');
    const first = start(shared);
    await first.waitFor('the ready banner', () => first.bannerValue('pids'), 60_000);
    const pids = bannerPids(first);
    expect(Object.keys(pids).sort()).toEqual(
      ['dashboard', 'ingester', 'market-data', 'pod-simulator', 'redis', 'worker-1'].sort(),
    );
    // The stack record: where its Redis is, and what runs (a second start and `baton dlq` read it).
    const record = await readStackRecord(shared.home);
    expect(record).toMatchObject({ pid: first.cli.pid, prefix: shared.prefix, pids });
    expect(record?.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(record?.ports['pod-simulator']).toBe(Number(new URL(simOf(first)).port));
    // The banner's two index pages answer (they were dead ends: a 404 and {"error":"not found"}).
    const index = await getJson<{ routes: { method: string; path: string }[] }>(`${simOf(first)}/_sim`);
    expect(index.routes).toContainEqual({ method: 'POST', path: '/_sim/streams/:streamId/messages' });
    expect(index.routes).toContainEqual({ method: 'GET', path: '/_sim/users' });
    const market = await getJson<{ tickers: string[]; routes: Record<string, string> }>(
      first.bannerValue('market data') as string,
    );
    expect(market.tickers).toContain('AAPL');
    expect(Object.keys(market.routes)).toContain('GET /quote/:ticker');
    // The ingester has a feed recorded in Redis (a message went through it).
    const desk = await tradingDesk(simOf(first));
    await askTheBot(first, simOf(first), desk, '@baton-bot /echo before the kill', (t) =>
      t.includes('before'),
    );

    const children = first.processesOfThisStack();
    expect(children.length).toBeGreaterThanOrEqual(Object.keys(pids).length);
    await first.cli.kill('SIGKILL');
    // The guard (Redis) and each service's own watch of its orchestrator: nothing is left, no port stays taken.
    await waitFor(
      'every process of the killed stack to exit',
      () => first.processesOfThisStack().length === 0,
      25_000,
      () => first.processesOfThisStack().join(' '),
    );
    for (const [name, pid] of Object.entries(pids))
      expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    // Its record is left behind, stale: the next start drops it and says nothing runs.
    expect(existsSync(stackRecordPath(shared.home))).toBe(true);

    const second = start(shared);
    await second.waitFor('the second ready banner', () => second.bannerValue('pids'), 60_000);
    expect(second.output()).not.toMatch(/another baton dev|left these processes running/);
    // A clean restart: the simulator is new, so the last run's datafeed record is dropped, calmly.
    expect(second.output()).toMatch(/baton +\| the pod simulator starts empty: forgot the datafeed \S+/);
    const reply = await askTheBot(
      second,
      simOf(second),
      await tradingDesk(simOf(second)),
      '@baton-bot /echo after',
      (t) => t.includes('after'),
    );
    expect(reply).toBe('after');
    expect(second.output()).not.toMatch(/datafeed gone/);
    const status = await getJson<{ ingester: { recreations: { count: number } } | null }>(
      `${second.bannerValue('dashboard')}api/status`,
    );
    expect(status.ingester?.recreations.count).toBe(0);

    // The terminal closes: SIGHUP is a Ctrl-C, a clean stop, exit 0.
    const secondPids = bannerPids(second);
    void second.cli.kill('SIGHUP');
    expect(await exitOf(second, 30_000)).toEqual({ code: 0, signal: null });
    expect(second.output()).toMatch(/\| SIGHUP \(terminal closed\): stopping everything/);
    expect(second.output()).toMatch(/\| stopped: every process exited cleanly \(exit 0\)$/m);
    for (const pid of Object.values(secondPids)) expect(isAlive(pid)).toBe(false);
    expect(second.processesOfThisStack()).toEqual([]);
    expect(existsSync(stackRecordPath(shared.home))).toBe(false);
  }, 180_000);

  it('a standby ingester takes over when the leader dies; a second start names what runs, or stops it', async () => {
    const shared = sharedHome('standby');
    const first = start(shared, { INGESTERS: '2', START_ON_CRASH: 'restart' });
    await first.waitFor('the ready banner', () => first.bannerValue('pids'), 60_000);
    const pids = bannerPids(first);
    expect(Object.keys(pids)).toContain('ingester-2');
    const readyz = (name: string) =>
      (first.bannerValue(`${name} metrics`) as string).replace(/\/metrics$/, '/readyz');
    const role = async (name: string) =>
      (await fetch(readyz(name)).then((r) => r.json() as Promise<{ detail?: { role?: string } }>)).detail
        ?.role;
    expect(await role('ingester')).toBe('leader');
    expect(await role('ingester-2')).toBe('standby');
    const sim = simOf(first);
    const desk = await tradingDesk(sim);

    // The leader stalls (SIGSTOP: no more lease renewals, as a hung or partitioned process): the standby takes
    // the lease over within ~1.33 x LEADER_LEASE_MS and the bot still answers (a message the stalled leader's
    // pending long poll took is redelivered by the feed after ~30 s, as Symphony's datafeed v2 does). Then the stalled leader is killed:
    // baton dev restarts it, and it comes back as the standby.
    const leader = pids['ingester'] as number;
    process.kill(leader, 'SIGSTOP');
    try {
      await first.waitFor(
        'ingester-2 to take the lease over',
        async () => ((await role('ingester-2')) === 'leader' ? true : undefined),
        40_000,
      );
      expect(
        await askTheBot(first, sim, desk, '@baton-bot /echo failover', (t) => t.includes('failover'), 50_000),
      ).toBe('failover');
    } finally {
      process.kill(leader, 'SIGKILL');
    }
    await first.waitFor(
      'the killed ingester back, as the standby',
      async () => ((await role('ingester').catch(() => undefined)) === 'standby' ? true : undefined),
      30_000,
    );
    expect(await role('ingester-2')).toBe('leader');

    // A second start on the same BATON_HOME while this one runs: it names what runs and exits 2 (no terminal).
    const refused = start(shared);
    expect(await exitOf(refused, 30_000)).toEqual({ code: 2, signal: null });
    expect(refused.output()).toMatch(
      new RegExp(`another baton dev \\(pid ${first.cli.pid}, started .*\\) is running`),
    );
    expect(refused.output()).toMatch(/ingester-2 +pid \d+ {2}port \d+/);
    expect(refused.output()).toMatch(
      new RegExp(`Stop it first: Ctrl-C in its terminal, or kill ${first.cli.pid}`),
    );
    expect(first.cli.running).toBe(true);

    // START_IF_RUNNING=stop: it stops the first run (cleanly: exit 0) and starts.
    const replacing = start(shared, { START_IF_RUNNING: 'stop' });
    expect(await exitOf(first, 40_000)).toEqual({ code: 0, signal: null });
    await replacing.waitFor('the replacing ready banner', () => replacing.bannerValue('pids'), 60_000);
    expect(replacing.output()).toContain('the earlier run is stopped');
    for (const [name, pid] of Object.entries(pids)) {
      if (name !== 'ingester') expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    }
    void replacing.cli.kill('SIGINT');
    expect(await exitOf(replacing, 30_000)).toEqual({ code: 0, signal: null });
    expect(replacing.processesOfThisStack()).toEqual([]);
  }, 240_000);
});
