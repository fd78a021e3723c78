import { createLogger, FeedGoneError, ingestKeys } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import { createFakeClient, messageSent } from './support/fake-client.ts';

let server: TestRedis;
let redis: Redis;
const running: Ingester[] = [];
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  for (const i of running) await i.stop();
  redis?.disconnect();
  await server?.close();
});

function start(prefix: string, fake: ReturnType<typeof createFakeClient>): Ingester {
  const config = loadConfig({
    SYMPHONY_POD_URL: 'http://127.0.0.1:9',
    SYMPHONY_BOT_USERNAME: 'bot',
    SYMPHONY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nunused\n-----END PRIVATE KEY-----',
    REDIS_URL: server.url,
    BATON_PREFIX: prefix,
    READ_TIMEOUT_MS: '400',
    LEADER_LEASE_MS: '1500',
    MAX_BACKOFF_MS: '200',
    OPS_PORT: '0',
    OPS_HOST: '127.0.0.1',
  });
  const ingester = createIngester(config, { logger, redis, client: fake.client });
  running.push(ingester);
  return ingester;
}

const batch = (stream: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => messageSent(stream, from + i));

describe('ingester facts in the feed hash (read by the dashboard)', () => {
  it('records leaderSince, lastReadAt and the per-feed highWater, reset when the feed is recreated', async () => {
    const prefix = uniquePrefix('facts');
    const fake = createFakeClient();
    fake.events(batch('S1', 0, 3));
    fake.events(batch('S2', 0, 5));
    fake.events(batch('S1', 3, 1));
    fake.events([]); // an empty read with a new ackId
    fake.hang();
    const t0 = Date.now();
    const ingester = start(prefix, fake);
    await ingester.start();
    await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 }).toBe(9);
    await expect.poll(() => fake.completedReads(), { timeout: 10_000 }).toBe(4);
    const feedKey = ingestKeys(prefix).feed;
    await expect
      .poll(async () => (await redis.hget(feedKey, 'ackId')) ?? '', { timeout: 5_000 })
      .toBe('ack4');

    const hash = await redis.hgetall(feedKey);
    const leaderSince = Number(hash.leaderSince);
    const lastReadAt = Number(hash.lastReadAt);
    expect(leaderSince).toBeGreaterThanOrEqual(t0);
    expect(lastReadAt).toBeGreaterThanOrEqual(leaderSince);
    expect(lastReadAt).toBeLessThanOrEqual(Date.now());
    expect(hash.highWater).toBe('5'); // the largest of the reads 3, 5, 1, 0
    expect(hash.feedId).toBe('fake_f');
    // The dashboard reads these fields: services/dashboard/test/ingester-facts.test.ts checks that the two sides
    // agree on their names and meaning.
    await ingester.stop();
  });

  it('a recreated feed starts a new highWater; an empty read still moves lastReadAt', async () => {
    const prefix = uniquePrefix('facts2');
    const fake = createFakeClient();
    fake.events(batch('S1', 0, 4));
    fake.fail(new FeedGoneError('feed expired', { status: 400 }));
    fake.events(batch('S1', 4, 2));
    let release = () => {};
    fake.empty(new Promise<void>((r) => (release = r)));
    fake.hang();
    const ingester = start(prefix, fake);
    await ingester.start();
    await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 }).toBe(6);
    const feedKey = ingestKeys(prefix).feed;
    await expect.poll(() => redis.hget(feedKey, 'ackId'), { timeout: 5_000 }).toBe('ack2');
    expect(await redis.hget(feedKey, 'highWater')).toBe('2');
    const before = Number(await redis.hget(feedKey, 'lastReadAt'));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect
      .poll(async () => Number(await redis.hget(feedKey, 'lastReadAt')), { timeout: 5_000 })
      .toBeGreaterThan(before);
    expect(await redis.hget(feedKey, 'highWater')).toBe('2');
    await ingester.stop();
  });
});
