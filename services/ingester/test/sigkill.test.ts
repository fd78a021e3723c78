import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeProcess, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import {
  ingesterEnv,
  numbersPerStream,
  pendingEvents,
  range,
  sendPaced,
  startChildReading,
} from './support/sim-fixture.ts';

ingesterTest.override('simStreams', 20);
ingesterTest.override('simOptions', { redeliveryMs: 2_000 });

describe('ingester process: SIGKILL mid-burst', () => {
  ingesterTest(
    'after each kill -9 and restart, no event is missing and none is enqueued twice',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const env = ingesterEnv(fx, redisServer.url, prefix, { LEADER_LEASE_MS: '1500' });

      const startChild = async (): Promise<NodeProcess> => {
        const child = childIngester(env);
        children.push(child);
        await startChildReading(child, { fx, redis, prefix }, 2);
        return child;
      };
      let child = await startChild();

      const rounds = 30;
      let kills = 0;
      const sent = await sendPaced(fx, rounds, 60, async (round) => {
        if (round > 0 && round % 8 === 0) {
          expect(await child.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
          kills += 1;
          child = await startChild(); // events sent meanwhile wait in the feed
        }
      });
      expect(kills).toBe(3);
      const pending = () => pendingEvents(redis, prefix);
      await waitFor(`all ${sent} events enqueued`, async () => (await pending()) === sent, 30_000);
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) {
        expect([...ns].sort((a, b) => a - b)).toEqual(range(0, rounds));
      }
      // Past the redelivery window: redeliveries of batches read but not acked before a kill were all dropped.
      await sleep(3_000);
      expect(await pending()).toBe(sent);
      expect(child.running).toBe(true);
      // A graceful stop exits 0 within 5 s.
      const t0 = Date.now();
      expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(5_000);
    },
    120_000,
  );
});
