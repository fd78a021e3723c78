import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import {
  ingesterConfig,
  numbersPerStream,
  quietLogger,
  range,
  type SimFixture,
  sendBurst,
  startSimFixture,
  waitReading,
} from './support/sim-fixture.ts';

let redisServer: TestRedis;
let redis: Redis;
let fx: SimFixture;
const running: Ingester[] = [];

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  fx = await startSimFixture(8);
});

afterAll(async () => {
  for (const i of running) await i.stop();
  redis?.disconnect();
  await fx?.sim.close();
  await redisServer?.close();
});

const versions: Record<string, string>[] = [
  { FEED_VERSION: 'v1' },
  { FEED_VERSION: 'datahose', DATAHOSE_EVENT_TYPES: 'MESSAGESENT' },
];

describe.each(versions)('feed version $FEED_VERSION', (env) => {
  it('reads, keeps per-stream order and stores the feed state', async () => {
    const prefix = uniquePrefix('fv');
    const ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix, env), {
      logger: quietLogger(),
    });
    running.push(ingester);
    await ingester.start();
    await waitReading(ingester);
    // Let the first long poll open the feed (the datahose is created by its first read).
    await new Promise((r) => setTimeout(r, 300));
    const sent = sendBurst(fx, 10);
    await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 20_000 }).toBe(sent);
    for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) expect(ns).toEqual(range(0, 10));
    const stored = await ingester.feedState.load();
    expect(stored.version).toBe(env.FEED_VERSION);
    expect(stored.feedId).toBeTruthy();
    if (env.FEED_VERSION === 'datahose') expect(stored.ackId).toBeTruthy();
    await ingester.stop();
  });
});
