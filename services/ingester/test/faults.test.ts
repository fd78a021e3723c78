import { bullmqPrefix, DeadLetterSchema, queueNames } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { Queue } from 'bullmq';
import { afterAll, describe, expect } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import {
  ingesterConfig,
  numbersPerStream,
  quietLogger,
  range,
  type SimFixture,
  sendBurst,
  waitReading,
} from './support/sim-fixture.ts';

let ingester: Ingester;
const prefix = uniquePrefix('flt');
let dlq: Queue;

const counter = async (name: string, labels = ''): Promise<number> => {
  const text = await ingester.metrics.registry.metrics();
  const re = new RegExp(`^${name}\\{${labels}[^}]*\\} (\\d+)`, 'm');
  return Number(re.exec(text)?.[1] ?? 0);
};
const pending = async () => (await ingester.mailbox.backlog()).pending;
const requests = (fx: SimFixture, route: string) => fx.sim.control.stats().requests[route] ?? 0;

ingesterTest.override('simStreams', 5);

ingesterTest.beforeAll(async ({ fx, redisServer, redis }) => {
  ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix, { MAX_BACKOFF_MS: '1000' }), {
    logger: quietLogger(),
  });
  await ingester.start();
  await waitReading(ingester);
  dlq = new Queue(queueNames(prefix).dlq, { connection: redis, prefix: bullmqPrefix(prefix) });
});

afterAll(async () => {
  await ingester?.stop();
  await dlq?.close();
});

describe('ingester under faults', () => {
  ingesterTest('recreates an expired feed, records and counts it, and goes on reading', async ({ fx }) => {
    const before = await ingester.feedState.load();
    sendBurst(fx, 2, 0);
    await expect.poll(pending, { timeout: 10_000 }).toBe(10);
    fx.sim.control.expireFeeds();
    await expect.poll(() => counter('baton_ingester_feed_recreated_total'), { timeout: 10_000 }).toBe(1);
    const after = await ingester.feedState.load();
    expect(after.feedId).not.toBe(before.feedId);
    const [entry] = await ingester.feedState.recreations();
    expect(entry).toMatchObject({ version: 'v2', oldFeedId: before.feedId, newFeedId: after.feedId });
    expect(entry?.note).toMatch(/missed/);
    await waitReading(ingester);
    sendBurst(fx, 2, 2);
    await expect.poll(pending, { timeout: 10_000 }).toBe(20);
  });

  ingesterTest('re-authenticates after the session is invalidated', async ({ fx }) => {
    const logins = requests(fx, 'POST /login/pubkey/authenticate');
    fx.sim.control.invalidateSessions();
    sendBurst(fx, 1, 4);
    await expect.poll(pending, { timeout: 10_000 }).toBe(25);
    // The read in flight when the sessions died may still deliver the burst; the next read re-authenticates.
    await expect
      .poll(() => requests(fx, 'POST /login/pubkey/authenticate'), { timeout: 10_000 })
      .toBeGreaterThan(logins);
  });

  ingesterTest('honours Retry-After on a 429 from the feed', async ({ fx }) => {
    const reads = () => requests(fx, 'POST /agent/v5/datafeeds/:id/read');
    const limited = await counter('baton_ingester_errors_total', 'class="RateLimitedError"');
    fx.sim.control.setFaults({
      rules: [
        { path: '/agent/v5/datafeeds', methods: ['POST'], error429: 1, retryAfterSeconds: 2, times: 1 },
      ],
    });
    await expect
      .poll(() => counter('baton_ingester_errors_total', 'class="RateLimitedError"'), {
        timeout: 10_000,
        interval: 10,
      })
      .toBe(limited + 1);
    const at = Date.now();
    const readsAt429 = reads();
    await expect.poll(reads, { timeout: 10_000, interval: 10 }).toBeGreaterThan(readsAt429);
    const waitedMs = Date.now() - at;
    expect(waitedMs).toBeGreaterThanOrEqual(1_800); // Retry-After: 2 s (the metric is seen a few ms late)
    fx.sim.control.clearFaults();
    sendBurst(fx, 1, 5);
    await expect.poll(pending, { timeout: 10_000 }).toBe(30);
  });

  ingesterTest('dead-letters malformed events with their reasons and goes on', async ({ redis, fx }) => {
    fx.sim.control.injectEvent(fx.botUserId, {
      id: 'bad1',
      type: 'MESSAGESENT',
      timestamp: 1,
      payload: {},
    });
    fx.sim.control.injectEvent(fx.botUserId, { id: 'bad2', type: 'NOT_A_TYPE', payload: { x: {} } });
    fx.sim.control.injectEvent(fx.botUserId, 'not json at all {');
    sendBurst(fx, 1, 6);
    await expect.poll(pending, { timeout: 10_000 }).toBe(35);
    await expect.poll(() => dlq.getWaitingCount(), { timeout: 10_000 }).toBe(3);
    const jobs = await dlq.getWaiting();
    const letters = jobs.map((j) => DeadLetterSchema.parse(j.data));
    for (const l of letters) {
      expect(l.stage).toBe('ingest');
      expect(l.reason.length).toBeGreaterThan(0);
    }
    const raws = letters.map((l) => JSON.stringify(l.raw));
    expect(raws.some((r) => r.includes('bad1'))).toBe(true);
    expect(raws.some((r) => r.includes('NOT_A_TYPE'))).toBe(true);
    expect(raws.some((r) => r.includes('not json at all'))).toBe(true);
    // Every stream still holds exactly its messages, in order.
    for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) expect(ns).toEqual(range(0, 7));
  });
});
