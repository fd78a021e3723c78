import { setTimeout as sleep } from 'node:timers/promises';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullmqScheduler, taskJobId } from '../src/runtime/bullmq-scheduler.ts';

const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

function connection(redis: Redis): Redis {
  const c = redis.duplicate();
  closers.push(async () => c.disconnect());
  return c;
}

function queue(redis: Redis) {
  const q = new Queue('scheduled', { connection: redis, prefix: uniquePrefix('sched') });
  closers.push(() => q.close());
  return q;
}

describe('BullMQ scheduler', () => {
  redisTest(
    'schedules a task with an idempotency id once, however often it is scheduled',
    async ({ redis }) => {
      const q = queue(redis);
      const scheduler = createBullmqScheduler(q, { attempts: 3, backoffMs: 10 });
      const task = { name: 'remind', streamId: 'S1', data: { text: 'hi' }, id: 's0123abcd' };
      const first = await scheduler.schedule(60_000, task);
      const again = await scheduler.schedule(60_000, task); // a retried handler
      expect(first).toBe('s0123abcd');
      expect(again).toBe(first);
      expect(await q.getDelayedCount()).toBe(1);
      // Without an id every call is a new task.
      await scheduler.schedule(60_000, { name: 'remind', streamId: 'S1', data: {} });
      await scheduler.schedule(60_000, { name: 'remind', streamId: 'S1', data: {} });
      expect(await q.getDelayedCount()).toBe(3);
    },
  );

  redisTest('still deduplicates a late retry after the task already ran', async ({ redis }) => {
    const q = queue(redis);
    const scheduler = createBullmqScheduler(q, { attempts: 1, backoffMs: 10 });
    const ran: string[] = [];
    const events = new QueueEvents(q.name, { connection: connection(redis), prefix: q.opts.prefix ?? '' });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const worker = new Worker(
      q.name,
      async (job: Job) => {
        ran.push(job.id ?? '');
      },
      { connection: connection(redis), prefix: q.opts.prefix ?? '' },
    );
    closers.push(() => worker.close());
    const task = { name: 'remind', streamId: 'S1', data: {}, id: 'sfeedface' };
    const id = await scheduler.schedule(0, task);
    const job = await q.getJob(id);
    await job?.waitUntilFinished(events, 15_000);
    expect(ran).toEqual(['sfeedface']);
    expect(await q.getJobState(id)).toBe('completed');

    expect(await scheduler.schedule(0, task)).toBe(id); // the retried handler, after the reminder fired
    await sleep(300);
    expect(ran).toEqual(['sfeedface']);
    expect(await q.getJobCounts('waiting', 'delayed', 'completed')).toMatchObject({
      waiting: 0,
      delayed: 0,
      completed: 1,
    });
  });

  it('maps ids BullMQ would refuse or misread to a safe job id, stably', () => {
    expect(taskJobId('s00ff')).toBe('s00ff');
    expect(taskJobId('12345')).toMatch(/^h[0-9a-f]{40}$/);
    expect(taskJobId('a:b')).toMatch(/^h[0-9a-f]{40}$/);
    expect(taskJobId('a:b')).toBe(taskJobId('a:b'));
    expect(taskJobId('a:b')).not.toBe(taskJobId('a:c'));
  });
});
