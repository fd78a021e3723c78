import { setTimeout as sleep } from 'node:timers/promises';
import type { SimAgentFrontEnd } from '@baton/pod-simulator';
import { waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { ingesterTest } from './support/ingester-test.ts';
import { numbersPerStream, range, sendPaced } from './support/sim-fixture.ts';

// Three agents over one pod; a redelivery shorter than the test so a batch lost with a killed agent would show
// (as a redelivery, counted by the simulator) rather than hide.
ingesterTest.override('simOptions', { agents: 3, redeliveryMs: 2_000 });
ingesterTest.override('simStreams', 6);

const feedReads = (a: SimAgentFrontEnd) => a.requests()['POST /agent/v5/datafeeds/:id/read'] ?? 0;

describe('ingester: agent failover', () => {
  ingesterTest(
    'the agent serving the feed is killed mid-burst: the feed moves to another agent with the same feed id and ackId; nothing lost, doubled or reordered',
    async ({ redis, fx, prefix, readingIngester }) => {
      const ingester = await readingIngester({
        SYMPHONY_AGENT_URLS: fx.sim.agents.map((a) => a.url).join(','),
        MAX_BACKOFF_MS: '1000',
      });
      await waitFor('feed reads', () => fx.sim.agents.some((a) => feedReads(a) > 1), 10_000);
      // Sticky: one agent serves the feed.
      const serving = fx.sim.agents.filter((a) => feedReads(a) > 0);
      expect(serving).toHaveLength(1);
      const victim = serving[0] as SimAgentFrontEnd;
      const before = await ingester.feedState.load();

      const rounds = 40;
      let readsBeforeKill = 0;
      const sent = await sendPaced(fx, rounds, 40, async (round) => {
        if (round === 15) {
          readsBeforeKill = feedReads(victim);
          await victim.kill();
        }
      });
      expect(readsBeforeKill).toBeGreaterThan(1);
      const pending = async () => (await ingester.mailbox.backlog()).pending;
      await waitFor(`all ${sent} events`, async () => (await pending()) === sent, 20_000);

      // In order, once each, in every stream.
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds))
        expect(ns).toEqual(range(0, rounds));
      // The same feed, read on another agent since the kill; not recreated.
      const after = await ingester.feedState.load();
      expect(after.feedId).toBe(before.feedId);
      expect(await ingester.feedState.recreations()).toEqual([]);
      const now = fx.sim.agents.filter((a) => a !== victim && feedReads(a) > 0);
      expect(now).toHaveLength(1);
      expect(feedReads(victim)).toBe(readsBeforeKill);
      // Nothing had to be redelivered: no batch was lost with the agent.
      await sleep(2_500);
      const feed = fx.sim.control.stats().feeds.find((f) => f.id === after.feedId);
      expect(feed).toMatchObject({ expired: false, redelivered: 0 });
      expect(await pending()).toBe(sent);
    },
    60_000,
  );
});
