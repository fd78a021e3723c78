import { setTimeout as sleep } from 'node:timers/promises';
import { ingestKeys } from '@baton/shared';
import { type NodeProcess, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import { ingesterEnv, numbersPerStream, pendingEvents, range, sendPaced } from './support/sim-fixture.ts';

ingesterTest.override('simOptions', { redeliveryMs: 2_000 });

describe('ingester replicas: failover', () => {
  ingesterTest(
    'one of two replicas reads; when it is killed the other takes over within 15 s; nothing lost or doubled',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const keys = ingestKeys(prefix);
      // The default lease (10 s): the 15 s bound is checked with production settings.
      const replicas = new Map<string, NodeProcess>();
      for (const id of ['replica-a', 'replica-b']) {
        const child = childIngester(
          ingesterEnv(fx, redisServer.url, prefix, { INSTANCE_ID: id, LEADER_LEASE_MS: '10000' }),
        );
        children.push(child);
        replicas.set(id, child);
        child.start();
      }
      const holder = async () => (await redis.get(keys.leader))?.split('#')[0];
      await waitFor('a leader', async () => (await holder()) !== undefined, 30_000);
      const leaderId = (await holder()) as string;
      const standbyId = leaderId === 'replica-a' ? 'replica-b' : 'replica-a';
      const reads = () => fx.sim.control.stats().requests['POST /agent/v5/datafeeds/:id/read'] ?? 0;
      await waitFor('reads', () => reads() > 1, 30_000);

      // Exactly one replica reads: over a few long polls, every read comes from the same feed session.
      expect(fx.sim.control.stats().feeds.filter((f) => !f.expired)).toHaveLength(1);

      let killedAt = 0;
      const rounds = 30;
      const sent = await sendPaced(fx, rounds, 50, async (round) => {
        if (round === 10) {
          await replicas.get(leaderId)?.kill('SIGKILL');
          killedAt = Date.now();
        }
      });
      await waitFor('the standby to take over', async () => (await holder()) === standbyId, 20_000);
      const readsAtTakeover = reads();
      await waitFor('the new leader to read', () => reads() > readsAtTakeover, 10_000);
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(15_000);

      const pending = () => pendingEvents(redis, prefix);
      await waitFor(`all ${sent} events`, async () => (await pending()) === sent, 20_000);
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) {
        expect([...ns].sort((a, b) => a - b)).toEqual(range(0, rounds));
      }
      await sleep(2_500);
      expect(await pending()).toBe(sent);
      expect(fx.sim.control.stats().feeds.filter((f) => !f.expired)).toHaveLength(1); // resumed, not recreated
    },
    90_000,
  );
});
