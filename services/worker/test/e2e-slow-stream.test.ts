import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

// A handler stuck for 30 s in stream A delays no other stream.
stackTest.override('stackOptions', {
  workerEnv: { WORKER_CONCURRENCY: '2', SEND_RATE_PER_STREAM: '1000', SEND_BURST_PER_STREAM: '1000' },
});

stackTest.beforeAll(async ({ stack }) => {
  await Promise.all(['s1', 's2'].map((id) => stack.spawnWorker(id)));
});

describe('no cross-stream head-of-line blocking', () => {
  stackTest(
    'stream B completes with normal latency while stream A is stuck in a handler',
    async ({ stack }) => {
      const slowMs = 30_000;
      const a = stack.room('slow-A');
      const bRooms = [stack.room('fast-B1'), stack.room('fast-B2')];
      stack.say(a, `sleep:${slowMs} stuck`);
      stack.say(a, 'after-stuck');
      await sleep(500);
      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) {
        for (const b of bRooms) {
          const sentAt = Date.now();
          stack.say(b, `b${i}`);
          await waitFor(`reply to b${i}`, () => stack.botMessages(b).length === i + 1, 8_000);
          latencies.push(Date.now() - sentAt);
        }
      }
      // every B reply arrived while A's handler was still running
      expect(stack.botMessages(a)).toHaveLength(0);
      // normal latency: each B reply within a few seconds even on a loaded 2-core machine, not after A's 30 s
      expect(Math.max(...latencies)).toBeLessThan(5_000);
      for (const b of bRooms) {
        expect(stack.botMessages(b).map((m) => m.text)).toEqual(
          Array.from({ length: 10 }, (_, i) => `echo b${i}`),
        );
      }
      await waitFor('A finishes, in order', () => stack.botMessages(a).length === 2, 45_000);
      expect(stack.botMessages(a).map((m) => m.text)).toEqual([
        `echo sleep:${slowMs} stuck`,
        'echo after-stuck',
      ]);
    },
    90_000,
  );
});
