import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeProcess, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

// SIGKILL worker processes mid-burst, repeatedly; and a crash between a reply's post and its "done" mark.
/** Workers whose heartbeat was seen (only those are killed: a victim must be holding drains). */
const ready: string[] = [];

stackTest.override('stackOptions', {
  workerEnv: {
    WORKER_CONCURRENCY: '4',
    DRAIN_BATCH: '5',
    LOCK_DURATION_MS: '3000',
    STALLED_INTERVAL_MS: '1000',
    SEND_RATE_PER_STREAM: '1000',
    SEND_BURST_PER_STREAM: '1000',
  },
});

stackTest.beforeAll(async ({ stack }) => {
  await Promise.all(['k1', 'k2', 'k3'].map((id) => stack.spawnWorker(id).then(() => ready.push(id))));
});

describe('crashes', () => {
  stackTest(
    'SIGKILL of workers mid-burst, repeatedly: no event lost, no reply doubled, order kept',
    async ({ stack }) => {
      const rooms = Array.from({ length: 8 }, (_, i) => stack.room(`chaos-${i}`));
      const crashRoom = stack.room('crash-after-post');
      const perRoom = 40;
      const kills: Promise<unknown>[] = [];
      let generation = 0;
      const victims: NodeProcess[] = [];
      for (let i = 0; i < perRoom; i++) {
        for (const r of rooms) stack.say(r, `sleep:40 n${i}`);
        if (i === 15) for (const t of ['a', 'crash-after-post', 'b']) stack.say(crashRoom, t);
        if (i === 10 || i === 20 || i === 30) {
          // kill the oldest live worker while it holds drains, and start a replacement
          const live = () => ready.map((id) => stack.workers.get(id)!).filter((w) => w.running);
          await waitFor('a started worker to kill', () => live().length > 0, 20_000);
          const victim = live()[0]!;
          void victim.kill('SIGKILL');
          victims.push(victim);
          const id = `k-new-${++generation}`;
          kills.push(stack.spawnWorker(id).then(() => ready.push(id)));
        }
        await sleep(100);
      }
      await Promise.all(kills);
      const count = () => rooms.reduce((n, r) => n + stack.botMessages(r).length, 0);
      await waitFor(
        'every reply',
        () => count() >= rooms.length * perRoom && stack.botMessages(crashRoom).length >= 3,
        45_000,
        () =>
          `${count()} replies; crash room: ${stack
            .botMessages(crashRoom)
            .map((m) => m.text)
            .join(', ')}`,
      );
      await sleep(1_500); // a doubled reply would show up now
      for (const r of rooms) {
        expect(stack.botMessages(r).map((m) => m.text)).toEqual(
          Array.from({ length: perRoom }, (_, i) => `echo sleep:40 n${i}`),
        );
      }
      // the crash-after-post worker really died after posting, and the retry found the reply instead of re-posting
      expect(
        await stack.redis.exists(`${stack.prefix}:test:crashed:<messageML>echo crash-after-post</messageML>`),
      ).toBe(1);
      expect(stack.botMessages(crashRoom).map((m) => m.text)).toEqual([
        'echo a',
        'echo crash-after-post',
        'echo b',
      ]);
      expect(victims).toHaveLength(3);
      expect(victims.every((w) => w.exits.at(-1)?.signal === 'SIGKILL')).toBe(true);
    },
    58_000,
  );
});
