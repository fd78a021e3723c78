import { setTimeout as sleep } from 'node:timers/promises';
import { bullmqPrefix, createLogger, createMailbox, queueNames, scheduleDrain } from '@baton/shared';
import { redisTest } from '@baton/shared/testing/vitest';
import { Queue } from 'bullmq';
import { describe, expect } from 'vitest';
import { createIngesterMetrics } from '../src/ingester-metrics.ts';
import { createSweeper } from '../src/sweeper.ts';

/** `redisTest` plus `drainQueue`: the drain queue under the test's `prefix`, closed when the test ends. */
const sweeperTest = redisTest.extend('drainQueue', async ({ redis, prefix }, { onCleanup }) => {
  const queue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  onCleanup(() => queue.close());
  return queue;
});

describe('sweeper', () => {
  sweeperTest(
    're-schedules only old mailboxes without a live drain job, and only while leader',
    async ({ redis, prefix, drainQueue }) => {
      let clock = 1_000_000;
      const mailbox = createMailbox(redis, { prefix, now: () => clock });
      const metrics = createIngesterMetrics({ backlog: () => mailbox.backlog(), lastReadAgeMs: () => null });
      const sweeper = createSweeper(
        { intervalMs: 60_000, ageMs: 5_000 },
        { mailbox, drainQueue, isLeader: () => true, metrics, logger: createLogger({ level: 'silent' }) },
      );
      const ev = (s: string, receivedAt: number) => ({
        key: `${s}-${receivedAt}`,
        streamId: s,
        event: {},
        receivedAt,
      });
      // stranded: old, no drain job. covered: old, drain job waiting. young: recent, no job.
      await mailbox.enqueue([ev('stranded', 990_000), ev('covered', 990_000), ev('young', 999_000)], {
        dedupTtlSec: 60,
      });
      await scheduleDrain(drainQueue, 'covered');

      expect(await sweeper.sweepOnce()).toEqual(['stranded']);
      const waiting = (await drainQueue.getWaiting()).map((j) => j.data.streamId).sort();
      expect(waiting).toEqual(['covered', 'stranded']);
      // Both now have a live drain: nothing more to do, however often it runs.
      expect(await sweeper.sweepOnce()).toEqual([]);
      clock += 10_000;
      expect(await sweeper.sweepOnce()).toEqual(['young']);
      expect(
        await metrics.registry.getSingleMetricAsString('baton_ingester_sweeper_rescheduled_total'),
      ).toMatch(/ 2$/m);

      // A drain job that failed frees its dedup key: the stream is stranded again and gets swept.
      const job = (await drainQueue.getWaiting()).find((j) => j.data.streamId === 'stranded');
      await job?.remove();
      expect(await sweeper.sweepOnce()).toEqual(['stranded']);

      await sweeper.stop();
    },
  );

  sweeperTest('runs periodically, only while this replica leads', async ({ redis, prefix, drainQueue }) => {
    const mailbox = createMailbox(redis, { prefix });
    const metrics = createIngesterMetrics({ backlog: () => mailbox.backlog(), lastReadAgeMs: () => null });
    let leader = false;
    const sweeper = createSweeper(
      { intervalMs: 50, ageMs: 0 },
      { mailbox, drainQueue, isLeader: () => leader, metrics, logger: createLogger({ level: 'silent' }) },
    );
    await mailbox.enqueue([{ key: 'k', streamId: 'S', event: {}, receivedAt: Date.now() - 1_000 }], {
      dedupTtlSec: 60,
    });
    sweeper.start();
    await sleep(400);
    expect(await drainQueue.getWaitingCount()).toBe(0);
    leader = true;
    await expect.poll(() => drainQueue.getWaitingCount(), { timeout: 5_000 }).toBe(1);
    await sweeper.stop();
  });

  sweeperTest(
    'does not re-schedule (nor warn about) a stream whose drain finished between its two reads',
    async ({ redis, prefix, drainQueue }) => {
      const clock = 2_000_000;
      const real = createMailbox(redis, { prefix, now: () => clock });
      /** A drain that runs to the end: takes every entry of the stream, then its job is gone. */
      const drainToTheEnd = async (streamId: string) => {
        const token = await real.claim(streamId);
        for (let head = await real.peek(streamId); head; head = await real.peek(streamId)) {
          await real.ack(streamId, head.seq, token);
        }
        for (const job of await drainQueue.getWaiting())
          if (job.data.streamId === streamId) await job.remove();
      };
      // Between the backlog read and the dedup-key read, `race` runs: the drain of every listed stream finishes
      // (and, for `refilled`, the ingester adds a fresh event whose drain it has not scheduled yet).
      let race = async (_streams: string[]) => {};
      const mailbox = {
        ...real,
        async streamsWaitingLongerThan(ms: number, limit: number) {
          const streams = await real.streamsWaitingLongerThan(ms, limit);
          await race(streams);
          return streams;
        },
      };
      const metrics = createIngesterMetrics({ backlog: () => real.backlog(), lastReadAgeMs: () => null });
      const warnings: string[] = [];
      const logger = createLogger({
        level: 'warn',
        destination: { write: (line: string) => void warnings.push(line) },
      });
      const sweeper = createSweeper(
        { intervalMs: 60_000, ageMs: 5_000 },
        { mailbox, drainQueue, isLeader: () => true, metrics, logger, now: () => clock },
      );
      const ev = (s: string, n: number, receivedAt: number) => ({
        key: `${s}-${n}`,
        streamId: s,
        event: {},
        receivedAt,
      });
      await real.enqueue(
        [ev('drained', 0, 1_990_000), ev('refilled', 0, 1_990_000), ev('stranded', 0, 1_990_000)],
        {
          dedupTtlSec: 60,
        },
      );
      for (const s of ['drained', 'refilled']) await scheduleDrain(drainQueue, s);
      race = async () => {
        await drainToTheEnd('drained');
        await drainToTheEnd('refilled');
        await real.enqueue([ev('refilled', 1, clock)], { dedupTtlSec: 60 });
        race = async () => {};
      };

      expect(await sweeper.sweepOnce()).toEqual(['stranded']);
      expect((await drainQueue.getWaiting()).map((j) => j.data.streamId)).toEqual(['stranded']);
      expect(
        await metrics.registry.getSingleMetricAsString('baton_ingester_sweeper_rescheduled_total'),
      ).toMatch(/ 1$/m);
      const swept = warnings.filter((w) => w.includes('stranded mailboxes re-scheduled'));
      expect(swept).toHaveLength(1);
      expect(swept[0]).toContain('"streams":1');
      await sweeper.stop();
    },
  );
});
