import { isAlive } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askTheBot,
  type BatonDevChild,
  hasRedisServer,
  startBatonDev,
  tradingDesk,
} from './support/baton-dev-child.ts';

// `baton dev` (what `pnpm start` runs) end to end: the real CLI, from its sources (`--sources`), with every port
// picked free, its own BATON_HOME and key prefix, no .env. It must come up with the reference bot, answer a chat
// message, and leave nothing behind on SIGINT.

let dev: BatonDevChild | undefined;

beforeAll(() => {
  dev = startBatonDev({ args: ['dev', '--sources', '--bot', '@baton/reference-bot'] });
});

afterAll(async () => {
  // Only when a test failed half-way: never leave the stack running.
  await dev?.cleanUp();
});

describe.skipIf(!hasRedisServer && !process.env['REDIS_URL'])('baton dev (pnpm start)', () => {
  it('brings the stack up, answers @bot /echo through the simulator, and stops everything on SIGINT', async () => {
    const d = dev as BatonDevChild;
    const simControl = await d.waitFor('the ready banner', () => d.bannerValue('sim control'), 55_000);
    const sim = simControl.replace(/\/_sim$/, '');
    const pidLine = d.bannerValue('pids') ?? '';
    const pids = Object.fromEntries(
      [...pidLine.matchAll(/([\w-]+)=(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]),
    );
    expect(Object.keys(pids).sort()).toEqual(
      (hasRedisServer ? ['redis'] : [])
        .concat(['dashboard', 'ingester', 'market-data', 'pod-simulator', 'worker-1', 'worker-2'])
        .sort(),
    );
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    // The chat page is the banner's first URL.
    const banner = d.output().slice(d.output().indexOf('Baton is up.'));
    expect(banner.split('\n')[1]).toMatch(/\| {3}chat page {2}/);
    expect(d.bannerValue('chat page')).toBe(`${sim}/`);
    expect(d.bannerValue('dashboard')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(d.output()).toContain('running the Baton packages from their TypeScript sources (--sources)');
    expect(d.output()).toMatch(/Bot @baton\/reference-bot: a package, not watched/);

    // Each service's /metrics answers with Prometheus text.
    for (const name of ['ingester', 'worker-1', 'worker-2']) {
      const url = d.bannerValue(`${name} metrics`);
      expect(url).toBeDefined();
      const res = await fetch(url as string);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/# TYPE /);
    }

    // The demo seed: alice and the bot share "Trading Desk".
    const desk = await tradingDesk(sim);
    const words = `hello from the start test ${Date.now()}`;
    const reply = await askTheBot(d, sim, desk, `@baton-bot /echo ${words}`, (t) => t.includes(words));
    expect(reply).toBe(words);

    // Ctrl-C: everything stops, in order, and the CLI exits 0.
    void d.cli.kill('SIGINT');
    const exit = await Promise.race([
      d.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit after SIGINT:\n${d.output().slice(-3000)}`)), 25_000),
      ),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(d.output()).toMatch(
      /\| Ctrl-C \(SIGINT\): stopping everything \(Ctrl-C again after 2 s kills everything at once\)$/m,
    );
    expect(d.output()).toMatch(/\| stopped: every process exited cleanly \(exit 0\)$/m);
    for (const [name, pid] of Object.entries(pids))
      expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    expect(d.processesOfThisStack()).toEqual([]);
  }, 90_000);
});
