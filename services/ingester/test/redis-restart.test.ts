import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { ingesterTest } from './support/ingester-test.ts';
import { numbersPerStream, range, sendPaced } from './support/sim-fixture.ts';

ingesterTest.override('redisOptions', { forceSpawn: true, appendOnly: true });
ingesterTest.override('simStreams', 20);
ingesterTest.override('simOptions', { redeliveryMs: 3_000 });

ingesterTest.beforeAll(async ({ redis }) => {
  // The durability a deployment needs for "nothing lost" across a Redis crash (see docs/ingester.md):
  // every write fsynced before its reply, so the ackId is never stored ahead of what is on disk.
  await redis.config('SET', 'appendfsync', 'always');
});

describe('ingester: Redis killed mid-burst', () => {
  ingesterTest(
    'loses nothing and doubles nothing when Redis is SIGKILLed and restarted during a burst',
    async ({ redis, redisServer, fx, prefix, readingIngester }) => {
      const ingester = await readingIngester();

      const rounds = 30;
      const sent = await sendPaced(fx, rounds, 40, async (round) => {
        if (round === 10) {
          await redisServer.kill();
          setTimeout(() => void redisServer.start(), 1_500);
        }
      });
      expect(sent).toBe(rounds * fx.streamIds.length);
      await expect
        .poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 30_000, interval: 250 })
        .toBe(sent);
      // Nothing missing, nothing twice; order kept where no redelivery happened (it may reorder a batch).
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) {
        expect([...ns].sort((a, b) => a - b)).toEqual(range(0, rounds));
      }
      // Redelivered events (if any) were recognised as duplicates, and the feed ends fully acknowledged.
      await expect
        .poll(() => fx.sim.control.stats().feeds.find((f) => !f.expired)?.unread, { timeout: 10_000 })
        .toBe(0);
      await sleep(3_500); // past the redelivery window: still exactly `sent`
      expect((await ingester.mailbox.backlog()).pending).toBe(sent);
    },
  );
});
