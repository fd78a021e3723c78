import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqScheduler, taskJobId } from '../src/runtime/bullmq-scheduler.ts';

let server: TestRedis;
let redis: Redis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  redis?.disconnect();
  await server?.close();
});

function connection(): Redis {
  const c = redis.duplicate();
  closers.push(async () => c.disconnect());
  return c;
}

function queue() {
  const q = new Queue('scheduled', { connection: redis, prefix: uniquePrefix('sched') });
  closers.push(() => q.close());
  return q;
}

describe('BullMQ scheduler', () => {
  it('schedules a task with an idempotency id once, however often it is scheduled', async () => {
    const q = queue();
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
  });

  it('still deduplicates a late retry after the task already ran', async () => {
    const q = queue();
    const scheduler = createBullmqScheduler(q, { attempts: 1, backoffMs: 10 });
    const ran: string[] = [];
    const events = new QueueEvents(q.name, { connection: connection(), prefix: q.opts.prefix ?? '' });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const worker = new Worker(
      q.name,
      async (job: Job) => {
        ran.push(job.id ?? '');
      },
      { connection: connection(), prefix: q.opts.prefix ?? '' },
    );
    closers.push(() => worker.close());
    const task = { name: 'remind', streamId: 'S1', data: {}, id: 'sfeedface' };
    const id = await scheduler.schedule(0, task);
    const job = await q.getJob(id);
    await job?.waitUntilFinished(events, 15_000);
    expect(ran).toEqual(['sfeedface']);
    expect(await q.getJobState(id)).toBe('completed');

    expect(await scheduler.schedule(0, task)).toBe(id); // the retried handler, after the reminder fired
    await new Promise((r) => setTimeout(r, 300));
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
