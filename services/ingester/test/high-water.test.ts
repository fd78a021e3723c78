import { waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import { ingesterEnv, pendingEvents, sendPaced, startChildReading } from './support/sim-fixture.ts';

ingesterTest.override('simStreams', 25);

describe('ingester: the feed never backs up', () => {
  ingesterTest(
    'keeps the feed high-water mark far below 250 during a 5,000-event burst with no workers at all',
    async ({ redis, redisServer, fx, children, prefix }) => {
      // Its own process, as in production: the pod (here the simulator and the sender) does not share its CPU.
      const child = childIngester(ingesterEnv(fx, redisServer.url, prefix));
      children.push(child);
      await startChildReading(child, { fx, redis, prefix }, 2);

      // 200 rounds x 25 streams every 100 ms: a sustained ~250 events/s for 20 s, far above a bot's real traffic.
      const sent = await sendPaced(fx, 200, 100);
      expect(sent).toBe(5_000);
      const pending = () => pendingEvents(redis, prefix);
      await waitFor('all 5,000 events enqueued', async () => (await pending()) === 5_000, 40_000);
      const feed = fx.sim.control.stats().feeds.find((f) => !f.expired);
      expect(feed?.delivered).toBeGreaterThanOrEqual(5_000);
      expect(feed?.highWater, `high-water mark ${feed?.highWater}`).toBeLessThan(125);
    },
    90_000,
  );
});
