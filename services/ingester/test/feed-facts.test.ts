import { setTimeout as sleep } from 'node:timers/promises';
import { FeedGoneError, ingestKeys } from '@baton/shared';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { describe, expect } from 'vitest';
import { messageSent } from './support/message-sent.ts';
import { scriptedIngesterTest } from './support/scripted-ingester-test.ts';

const batch = (stream: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => messageSent(stream, from + i));

describe('ingester facts in the feed hash (read by the dashboard)', () => {
  scriptedIngesterTest(
    'records leaderSince, lastReadAt and the per-feed highWater, reset when the feed is recreated',
    async ({ redis, prefix, scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      fake.events(batch('S1', 0, 3));
      fake.events(batch('S2', 0, 5));
      fake.events(batch('S1', 3, 1));
      fake.events([]); // an empty read with a new ackId
      fake.hang();
      const t0 = Date.now();
      const ingester = scriptedIngester(fake);
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
    },
  );

  scriptedIngesterTest(
    'a recreated feed starts a new highWater; an empty read still moves lastReadAt',
    async ({ redis, prefix, scriptedIngester }) => {
      const fake = createFakeSymphonyClient();
      fake.events(batch('S1', 0, 4));
      fake.fail(new FeedGoneError('feed expired', { status: 400 }));
      fake.events(batch('S1', 4, 2));
      let release = () => {};
      fake.empty(new Promise<void>((r) => (release = r)));
      fake.hang();
      const ingester = scriptedIngester(fake);
      await ingester.start();
      await expect.poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 }).toBe(6);
      const feedKey = ingestKeys(prefix).feed;
      await expect.poll(() => redis.hget(feedKey, 'ackId'), { timeout: 5_000 }).toBe('ack2');
      expect(await redis.hget(feedKey, 'highWater')).toBe('2');
      const before = Number(await redis.hget(feedKey, 'lastReadAt'));
      await sleep(20);
      release();
      await expect
        .poll(async () => Number(await redis.hget(feedKey, 'lastReadAt')), { timeout: 5_000 })
        .toBeGreaterThan(before);
      expect(await redis.hget(feedKey, 'highWater')).toBe('2');
      await ingester.stop();
    },
  );
});
