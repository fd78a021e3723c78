import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { type NodeProcess, waitFor } from '@baton/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedState } from '../src/feed-state.ts';
import { childIngester } from './support/child-ingester.ts';
import { ingesterEnv, type SimFixture, sendPaced, startSimFixture } from './support/sim-fixture.ts';

let redisServer: TestRedis;
let redis: Redis;
let fx: SimFixture;
let child: NodeProcess | undefined;

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  fx = await startSimFixture(25);
});

afterAll(async () => {
  await child?.kill('SIGKILL');
  redis?.disconnect();
  await fx?.sim.close();
  await redisServer?.close();
});

describe('ingester: the feed never backs up', () => {
  it('keeps the feed high-water mark far below 250 during a 5,000-event burst with no workers at all', async () => {
    const prefix = uniquePrefix('hw');
    // Its own process, as in production: the pod (here the simulator and the sender) does not share its CPU.
    child = childIngester(ingesterEnv(fx, redisServer.url, prefix));
    child.start();
    const feedState = createFeedState(redis, prefix);
    const reads = () => fx.sim.control.stats().requests['POST /agent/v5/datafeeds/:id/read'] ?? 0;
    await waitFor('reads', async () => (await feedState.load()).feedId !== undefined && reads() > 1, 30_000);

    // 200 rounds x 25 streams every 100 ms: a sustained ~250 events/s for 20 s, far above a bot's real traffic.
    const sent = await sendPaced(fx, 200, 100);
    expect(sent).toBe(5_000);
    const pending = async () => {
      const ks = await redis.keys(`${prefix}:mb:*:pending`);
      const vals = ks.length ? await redis.mget(...ks) : [];
      return vals.reduce((a, v) => a + Number(v ?? 0), 0);
    };
    await waitFor('all 5,000 events enqueued', async () => (await pending()) === 5_000, 40_000);
    const feed = fx.sim.control.stats().feeds.find((f) => !f.expired);
    expect(feed?.delivered).toBeGreaterThanOrEqual(5_000);
    expect(feed?.highWater, `high-water mark ${feed?.highWater}`).toBeLessThan(125);
  }, 90_000);
});
