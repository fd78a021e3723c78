import { createIngester, type Ingester, loadConfig } from '@baton/ingester';
import { createSimulator, type Simulator } from '@baton/pod-simulator';
import { createLogger, ingestKeys } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngesterStateReader } from '../src/status/read-ingester-state.ts';

// The facts the ingester leader writes into its feed hash (leaderSince, lastReadAt, highWater, the feed id), as
// a real ingester writes them while it reads a (simulated) datafeed, and as the dashboard's reader reports them:
// the two sides agree on the fields' names and meaning.

let server: TestRedis;
let redis: Redis;
let sim: Simulator;
let ingester: Ingester | undefined;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  // Long polls of 30 s: once the messages are read, the feed hash stays as it is while the test reads it.
  sim = await createSimulator({ longPollMs: 30_000 });
});

afterAll(async () => {
  await ingester?.stop();
  redis?.disconnect();
  await sim?.close();
  await server?.close();
});

describe("the dashboard reads the ingester's feed facts", () => {
  it('reports leaderSince, lastReadAt, highWater and the feed id as the ingester stored them', async () => {
    const { privateKeyPem, publicKeyPem } = sim.control.generateKeyPair();
    const bot = sim.control.createUser({ username: 'facts-bot', publicKeyPem, bot: true });
    const alice = sim.control.createUser({ username: 'alice' });
    const im = sim.control.createStream({ type: 'IM', memberIds: [bot.userId, alice.userId] }).streamId;
    const prefix = uniquePrefix('dash-facts');
    const t0 = Date.now();
    const started = createIngester(
      loadConfig({
        SYMPHONY_POD_URL: sim.url,
        SYMPHONY_BOT_USERNAME: 'facts-bot',
        SYMPHONY_PRIVATE_KEY: privateKeyPem,
        REDIS_URL: server.url,
        BATON_PREFIX: prefix,
        READ_TIMEOUT_MS: '40000',
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
      }),
      { logger: createLogger({ level: 'silent' }) },
    );
    ingester = started;
    await started.start();
    await waitFor(
      'the ingester to lead and read',
      () => started.health().role === 'leader' && started.health().ready,
      15_000,
    );
    for (const text of ['one', 'two', 'three'])
      sim.control.sendMessage(im, { fromUserId: alice.userId, text });

    const feedKey = ingestKeys(prefix).feed;
    const hash = await waitFor(
      'the three messages read and their read recorded',
      async () => {
        if ((await started.mailbox.backlog()).pending !== 3) return undefined;
        const h = await redis.hgetall(feedKey);
        const delivered = sim.control.stats().feeds.find((f) => f.id === h.feedId)?.delivered;
        return delivered === 3 && h.lastReadAt && Number(h.lastReadAt) >= t0 ? h : undefined;
      },
      20_000,
    );
    const status = await createIngesterStateReader(redis, { prefix }).read();
    expect(hash).toEqual(await redis.hgetall(feedKey)); // nothing moved meanwhile

    expect(Number(hash.leaderSince)).toBeGreaterThanOrEqual(t0);
    expect(status.leader?.since).toBe(Number(hash.leaderSince));
    expect(status.lastReadAt).toBe(Number(hash.lastReadAt));
    expect(Number(hash.highWater)).toBeGreaterThanOrEqual(1);
    expect(Number(hash.highWater)).toBeLessThanOrEqual(3);
    expect(status.highWater).toBe(Number(hash.highWater));
    expect(status.feed?.id).toBe(hash.feedId);
    expect(
      sim.control
        .stats()
        .feeds.filter((f) => !f.expired)
        .map((f) => f.id),
    ).toEqual([hash.feedId]);
  });
});
