import { setTimeout as sleep } from 'node:timers/promises';
import { parseWorkerHeartbeat } from '@baton/shared';
import { waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

// Simulator → ingester → 4 worker processes × concurrency 8 → replies in the simulator.
stackTest.override('stackOptions', {
  workerEnv: {
    WORKER_CONCURRENCY: '8',
    DRAIN_BATCH: '5',
    SEND_RATE_PER_STREAM: '1000',
    SEND_BURST_PER_STREAM: '1000',
  },
});

stackTest.beforeAll(async ({ stack }) => {
  await Promise.all(['o1', 'o2', 'o3', 'o4'].map((id) => stack.spawnWorker(id)));
});

stackTest.afterAll(({ stack }) => {
  if (process.env['E2E_DEBUG']) for (const w of stack.workers.values()) console.log(w.name, w.output());
});

describe('per-stream order end to end (several worker processes)', () => {
  stackTest(
    'replies to every event exactly once, in order per stream, with streams interleaved',
    async ({ stack }) => {
      const rooms = Array.from({ length: 25 }, (_, i) => stack.room(`order-${i}`));
      const perRoom = 80;
      for (let i = 0; i < perRoom; i++) {
        for (const r of rooms) stack.say(r, `n${i}`);
        if (i % 10 === 9) await sleep(20);
      }
      const total = rooms.length * perRoom;
      const count = () => rooms.reduce((n, r) => n + stack.botMessages(r).length, 0);
      await waitFor(
        'all replies',
        () => count() >= total,
        50_000,
        () => [`${count()}/${total}`, ...[...stack.workers.values()].map((w) => w.output())].join('\n'),
      );
      const firstAt: number[] = [];
      const lastAt: number[] = [];
      for (const r of rooms) {
        const msgs = stack.botMessages(r);
        expect(msgs.map((m) => m.text)).toEqual(Array.from({ length: perRoom }, (_, i) => `echo n${i}`));
        firstAt.push(msgs[0]!.timestamp);
        lastAt.push(msgs.at(-1)!.timestamp);
      }
      // interleaved: no room finished before every room had started
      expect(Math.max(...firstAt)).toBeLessThanOrEqual(Math.min(...lastAt));
      // the load really was spread over the processes (their heartbeats report it at the next beat)
      const busyWorkers = async () => {
        const hb = await Promise.all(
          ['o1', 'o2', 'o3', 'o4'].map((id) => stack.redis.get(`${stack.prefix}:workers:${id}`)),
        );
        return hb.map((h) => parseWorkerHeartbeat(h)?.stats['handled'] ?? 0).filter((n) => n > 0).length;
      };
      await waitFor(
        'two or more workers report handled events',
        async () => (await busyWorkers()) >= 2,
        15_000,
      );
      expect(await busyWorkers()).toBeGreaterThanOrEqual(2);
    },
    75_000,
  );
});
