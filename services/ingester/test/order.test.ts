import { bullmqPrefix, queueNames } from '@baton/shared';
import { Queue } from 'bullmq';
import { afterAll, describe, expect } from 'vitest';
import { ingesterTest } from './support/ingester-test.ts';
import { numbersPerStream, range, sendBurst } from './support/sim-fixture.ts';

let queue: Queue | undefined;

ingesterTest.override('simStreams', 40);

afterAll(async () => {
  await queue?.close();
});

describe('ingester: order per stream', () => {
  ingesterTest(
    'moves a burst over many streams into per-stream mailboxes in feed order, each once, with drains',
    async ({ redis, fx, prefix, readingIngester }) => {
      const ingester = await readingIngester();

      const perStream = 40;
      const sent = sendBurst(fx, perStream); // 1,600 events, interleaved
      await expect
        .poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 30_000, interval: 200 })
        .toBe(sent);

      const numbers = await numbersPerStream(redis, prefix, fx.streamIds);
      for (const ns of numbers) expect(ns).toEqual(range(0, perStream));

      // One drain job per stream, deduplicated (no worker is running).
      queue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
      expect(await queue.getWaitingCount()).toBe(fx.streamIds.length);

      // The feed was acknowledged: the stored ackId moved and nothing is left unread or unacked.
      const stored = await ingester.feedState.load();
      expect(stored.version).toBe('v2');
      expect(stored.ackId).toBeTruthy();
      await expect
        .poll(() => fx.sim.control.stats().feeds.find((f) => f.id === stored.feedId)?.unread)
        .toBe(0);

      // The bot's own messages are not enqueued.
      const before = (await ingester.mailbox.backlog()).pending;
      fx.sim.control.sendMessage(fx.streamIds[0] as string, {
        fromUserId: fx.botUserId,
        text: 'from the bot',
      });
      fx.sim.control.sendMessage(fx.streamIds[0] as string, {
        fromUserId: fx.userIds[0] as number,
        text: 'm-0-40',
      });
      await expect
        .poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 10_000 })
        .toBe(before + 1);
      const metrics = await ingester.metrics.registry.metrics();
      expect(metrics).toMatch(/baton_ingester_event_outcomes_total\{outcome="own_message_dropped".*\} 1/);
      expect(metrics).toMatch(/baton_backlog_pending_events\{.*\} 1601/);
    },
  );
});
