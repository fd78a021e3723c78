import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect } from 'vitest';
import { bullmqPrefix, DrainJobSchema, hasLiveDrain, queueNames, scheduleDrain } from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe('scheduleDrain', () => {
  redisTest(
    'deduplicates while a drain waits, parks one while active, and hasLiveDrain follows the job',
    async ({ redis, redisServer }) => {
      const prefix = uniquePrefix('dr');
      const queue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
      queue.on('error', () => {});
      closers.push(() => queue.close());

      expect(await hasLiveDrain(queue, 'S')).toBe(false);
      await scheduleDrain(queue, 'S');
      await scheduleDrain(queue, 'S');
      expect(await queue.getWaitingCount()).toBe(1);
      expect(await hasLiveDrain(queue, 'S')).toBe(true);
      const [job] = await queue.getWaiting();
      expect(DrainJobSchema.parse(job?.data)).toEqual({ v: 1, streamId: 'S' });

      const seen: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const workerConnection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
      workerConnection.on('error', () => {});
      closers.push(async () => workerConnection.disconnect());
      const worker = new Worker(
        queueNames(prefix).drain,
        async (j) => {
          seen.push(j.id ?? '?');
          if (seen.length === 1) await gate;
        },
        { connection: workerConnection, prefix: bullmqPrefix(prefix) },
      );
      worker.on('error', () => {});
      closers.push(() => worker.close());
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
      // While active: two more adds park exactly one follow-up.
      await scheduleDrain(queue, 'S');
      await scheduleDrain(queue, 'S');
      expect(await hasLiveDrain(queue, 'S')).toBe(true);
      release();
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => hasLiveDrain(queue, 'S'), { timeout: 10_000 }).toBe(false);
      await sleep(300);
      expect(seen.length).toBe(2);
    },
  );
});
