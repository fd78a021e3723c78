import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import type { Ingester } from '../src/create-ingester.ts';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import {
  ingesterEnv,
  numbersPerStream,
  pendingEvents,
  range,
  type SimFixture,
  sendPaced,
  startChildReading,
} from './support/sim-fixture.ts';

// v1 read-ahead (INGESTER_V1_READ_AHEAD): reads go on while earlier batches are stored, in order, bounded.
// Stores are stalled with Redis's own CLIENT PAUSE WRITE (writes and scripts wait, reads answer), or Redis is
// SIGKILLed and restarted; the feed is the simulator's v1 feed over HTTP.
ingesterTest.override('redisOptions', { forceSpawn: true, appendOnly: true });
ingesterTest.override('simStreams', 20);

ingesterTest.beforeAll(async ({ redis }) => {
  // Nothing acknowledged may be lost across the SIGKILL of Redis (docs/ingester.md, "Redis durability").
  await redis.config('SET', 'appendfsync', 'always');
});

const v1 = (readAhead: number, extra: Record<string, string> = {}) => ({
  FEED_VERSION: 'v1',
  INGESTER_V1_READ_AHEAD: String(readAhead),
  ...extra,
});

const held = async (i: Ingester): Promise<number> =>
  (await i.metrics.heldBatches.get()).values[0]?.value ?? 0;

/** Samples `held` every 5 ms until stopped; returns the largest value seen. */
function sampleHeld(i: Ingester): { stop: () => number } {
  let max = 0;
  const timer = setInterval(() => {
    void held(i).then((n) => {
      max = Math.max(max, n);
    });
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

/** Stalls every write (scripts included) of every client for `ms`; reads still answer. */
const pauseWrites = (redis: Redis, ms: number) => redis.call('CLIENT', 'PAUSE', String(ms), 'WRITE');

const v1Feed = (fx: SimFixture, feedId: string | undefined) =>
  fx.sim.control.stats().feeds.find((f) => f.id === feedId && f.version === 'v1');

const v1Reads = (fx: SimFixture) => fx.sim.control.stats().requests['GET /agent/v4/datafeed/:id/read'] ?? 0;

describe('ingester: v1 read-ahead', () => {
  ingesterTest(
    'keeps reading while stores stall, and stores the overlapping batches strictly in order',
    async ({ redis, fx, prefix, readingIngester }) => {
      const i = await readingIngester(v1(4));
      const sampler = sampleHeld(i);
      const rounds = 40;
      const sent = await sendPaced(fx, rounds, 40, async (round) => {
        // Three stalls of 300 ms: the reader goes on reading (one round per read) while nothing is stored.
        if (round === 5 || round === 18 || round === 31) await pauseWrites(redis, 300);
      });
      await waitFor(
        `all ${sent} events stored`,
        async () => (await pendingEvents(redis, prefix)) === sent,
        20_000,
      );
      const maxHeld = sampler.stop();
      // Reads overlapped stores (more than one batch held at once), and never beyond the bound (4 + 1).
      expect(maxHeld).toBeGreaterThanOrEqual(2);
      expect(maxHeld).toBeLessThanOrEqual(5);
      // Every stream holds its events in feed order, once each: not sorted, as stored.
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds))
        expect(ns).toEqual(range(0, rounds));
      expect(v1Feed(fx, i.health().feed.feedId)?.expired).toBe(false);
    },
    60_000,
  );

  ingesterTest(
    'holds at most INGESTER_V1_READ_AHEAD + 1 batches: reads pause and the agent keeps the rest',
    async ({ redis, fx, prefix, readingIngester }) => {
      // A long lease, so the 4 s stall does not depose the leader.
      const i = await readingIngester(v1(2, { LEADER_LEASE_MS: '20000' }));
      const feedId = i.health().feed.feedId;
      const before = await pendingEvents(redis, prefix);
      await pauseWrites(redis, 4_000);
      const pausedAt = Date.now();
      const sent = await sendPaced(fx, 8, 150);
      // Three batches held (the one being stored and 2 behind it); no read goes out; the agent keeps the rest.
      await waitFor('3 batches held', async () => (await held(i)) === 3, 2_000);
      const readsThen = v1Reads(fx);
      await sleep(500);
      expect(Date.now() - pausedAt).toBeLessThan(3_800); // all of this while the writes were still paused
      expect(v1Reads(fx)).toBe(readsThen);
      expect(await held(i)).toBe(3);
      const feed = v1Feed(fx, feedId);
      expect(feed?.expired).toBe(false);
      expect(feed?.unread).toBeGreaterThan(0);
      expect(await pendingEvents(redis, prefix)).toBe(before);
      // Once Redis takes writes again: everything read and everything the agent kept is stored, in order.
      await waitFor(
        `all ${sent} events stored`,
        async () => (await pendingEvents(redis, prefix)) === sent,
        15_000,
      );
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) expect(ns).toEqual(range(0, 8));
      expect(await held(i)).toBe(0);
    },
    60_000,
  );

  ingesterTest(
    'loses nothing when Redis is SIGKILLed with batches held for longer than the lease, and comes back',
    async ({ redis, redisServer, fx, prefix, readingIngester }) => {
      const i = await readingIngester(v1(8));
      const tokenBefore = i.health().leaderToken;
      const rounds = 16;
      const sent = await sendPaced(fx, rounds, 400, async (round) => {
        // 5 s down: stores are retried while the reader reads on (one round per read) until 9 batches are held;
        // the lease (3 s) is lost with them held: they are kept and stored first when this replica leads again.
        // What is sent meanwhile stays within what the agent buffers (9 rounds held, the rest < 250 events).
        if (round === 4) {
          await redisServer.kill();
          setTimeout(() => void redisServer.start(), 5_000);
        }
      });
      await waitFor(
        `all ${sent} events stored`,
        async () => (await pendingEvents(redis, prefix)) === sent,
        30_000,
      );
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds))
        expect(ns).toEqual(range(0, rounds));
      // The long outage did depose the leader: a new token, the same feed, never expired.
      expect(i.health().leaderToken).not.toBe(tokenBefore);
      expect(v1Feed(fx, i.health().feed.feedId)?.expired).toBe(false);
      expect(
        fx.sim.control.stats().feeds.filter((f) => f.version === 'v1' && f.id === i.health().feed.feedId),
      ).toHaveLength(1);
    },
    90_000,
  );

  ingesterTest(
    'SIGTERM stores every batch read ahead before the process exits',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const child = childIngester(ingesterEnv(fx, redisServer.url, prefix, v1(4)));
      children.push(child);
      const feedId = await startChildReading(child, { fx, redis, prefix });
      await pauseWrites(redis, 1_500);
      const sent = await sendPaced(fx, 4, 120);
      // All four rounds were read (held in the child's memory, none stored) when SIGTERM arrives.
      expect(v1Feed(fx, feedId)?.delivered).toBe(sent);
      expect(await pendingEvents(redis, prefix)).toBe(0);
      const exit = await child.kill('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(await pendingEvents(redis, prefix)).toBe(sent);
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) expect(ns).toEqual(range(0, 4));
      expect(child.output()).not.toContain('are lost');
    },
    60_000,
  );

  ingesterTest(
    'past the shutdown deadline, logs exactly how many events read were not stored',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const child = childIngester(
        ingesterEnv(fx, redisServer.url, prefix, v1(4, { SHUTDOWN_TIMEOUT_MS: '3000' })),
      );
      children.push(child);
      const feedId = await startChildReading(child, { fx, redis, prefix });
      // Writes stalled for longer than the child may take to stop.
      await pauseWrites(redis, 6_000);
      const sent = await sendPaced(fx, 3, 120);
      expect(v1Feed(fx, feedId)?.delivered).toBe(sent);
      const t0 = Date.now();
      await child.kill('SIGTERM');
      expect(Date.now() - t0).toBeLessThan(4_000);
      const line = child
        .output()
        .split('\n')
        .find((l) => l.includes('not stored before the exit are lost'));
      expect(line, child.output()).toBeDefined();
      const logged = JSON.parse(line?.slice(line.indexOf('{')) ?? '{}') as {
        events?: number;
        batches?: number;
      };
      expect(logged.batches).toBeGreaterThanOrEqual(3); // the three rounds (an idle read held beside them adds one)
      expect(logged.batches).toBeLessThanOrEqual(5);
      // Exactly what was read and never reached Redis (writes resume after the pause; nothing more comes).
      await sleep(6_500 - (Date.now() - t0));
      expect(logged.events).toBe(sent - (await pendingEvents(redis, prefix)));
    },
    60_000,
  );
});
