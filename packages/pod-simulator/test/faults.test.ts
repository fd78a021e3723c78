import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { type BotUser, call } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

simTest.override({ simOptions: { longPollMs: 100 }, botOptions: { username: 'fault-bot' } });
simTest.beforeEach(({ sim }) => sim.control.clearFaults());

const sessioninfo = (sim: Simulator, bot: BotUser) =>
  call(sim, 'GET', '/pod/v2/sessioninfo', bot.session.headers);
const putFaults = (sim: Simulator, body: unknown) => call(sim, 'PUT', '/_sim/faults', {}, body);

describe('faults', () => {
  simTest('answers 500 and 503 on the matching path prefix only', async ({ sim, bot }) => {
    expect((await putFaults(sim, { rules: [{ path: '/pod', error500: 1 }] })).status).toBe(200);
    const r = await sessioninfo(sim, bot);
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ code: 500, message: 'Internal Server Error' });
    expect((await call(sim, 'POST', '/agent/v4/datafeed/create', bot.session.headers)).status).toBe(200);
    sim.control.setFaults({ rules: [{ path: '/pod/v2', error503: 1 }] });
    expect((await sessioninfo(sim, bot)).status).toBe(503);
    expect((await call(sim, 'DELETE', '/_sim/faults', {})).status).toBe(204);
    expect((await sessioninfo(sim, bot)).status).toBe(200);
  });

  simTest('answers 429 with a Retry-After header in seconds', async ({ sim, bot }) => {
    sim.control.setFaults({ rules: [{ path: '/agent', error429: 1, retryAfterSeconds: 7 }] });
    const r = await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body).toMatchObject({ code: 429 });
  });

  simTest('can answer the rate limit as 400 + Retry-After, like agents since 20.12', async ({ sim, bot }) => {
    sim.control.setFaults({
      rules: [{ path: '/agent', error429: 1, retryAfterSeconds: 3, rateLimitStatus: 400 }],
    });
    const r = await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers);
    expect(r.status).toBe(400);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.body).toMatchObject({ code: 400 });
    const bad = await putFaults(sim, { rules: [{ path: '/agent', error429: 1, rateLimitStatus: 418 }] });
    expect(bad.status).toBe(400);
  });

  simTest('adds latency', async ({ sim, bot }) => {
    sim.control.setFaults({ rules: [{ path: '/pod', latencyMs: 300 }] });
    const t0 = Date.now();
    const r = await sessioninfo(sim, bot);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  simTest('drops connections', async ({ sim, bot }) => {
    sim.control.setFaults({ rules: [{ path: '/pod', drop: 1 }] });
    await expect(sessioninfo(sim, bot)).rejects.toThrow();
    sim.control.clearFaults();
    expect((await sessioninfo(sim, bot)).status).toBe(200);
  });

  simTest('applies a rule a limited number of times, and per method', async ({ sim, bot }) => {
    sim.control.setFaults({ rules: [{ path: '/pod', error500: 1, times: 2 }] });
    expect((await sessioninfo(sim, bot)).status).toBe(500);
    expect((await sessioninfo(sim, bot)).status).toBe(500);
    expect((await sessioninfo(sim, bot)).status).toBe(200);
    sim.control.setFaults({ rules: [{ path: '/agent', methods: ['POST'], error503: 1 }] });
    expect((await call(sim, 'GET', '/agent/v5/datafeeds', bot.session.headers)).status).toBe(200);
    expect((await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).status).toBe(503);
  });

  simTest('is deterministic for a given seed', async ({ sim, bot }) => {
    const run = async (): Promise<number[]> => {
      sim.control.setFaults({ seed: 1234, rules: [{ path: '/pod', error500: 0.5 }] });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await sessioninfo(sim, bot)).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  simTest('never faults the control API, and rejects invalid rules', async ({ sim }) => {
    sim.control.setFaults({ rules: [{ path: '/', error500: 1 }] });
    expect((await call(sim, 'GET', '/_sim/stats', {})).status).toBe(200);
    const health = await call(sim, 'GET', '/_sim/health', {});
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'UP' });
    expect((await call(sim, 'GET', '/agent/v3/health', {})).status).toBe(500); // the agent probe is faulted
    expect((await putFaults(sim, { rules: [{ path: '/pod', error500: 2 }] })).status).toBe(400);
    expect((await putFaults(sim, { rules: [{ error500: 1 }] })).status).toBe(400);
  });

  simTest('one-shot actions: invalidate sessions and expire feeds', async ({ sim, bot }) => {
    const feed = (
      (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string }
    ).id;
    expect((await putFaults(sim, { expireFeeds: { feedId: feed } })).status).toBe(200);
    expect(
      (await call(sim, 'POST', `/agent/v5/datafeeds/${feed}/read`, bot.session.headers, { ackId: '' }))
        .status,
    ).toBe(400);
    expect((await putFaults(sim, { invalidateSessions: true })).status).toBe(200);
    expect((await sessioninfo(sim, bot)).status).toBe(401);
  });
});
