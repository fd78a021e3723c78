import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@baton/shared';
import { type NodeProcess, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

// The doubled reply of a busy room (#13), with a real process kill: a worker process posts its reply and is
// SIGKILLed right after the pod stored it (the scripted worker kills itself once the post returned, before its
// "done" mark: services/worker/test/support/scripted-worker-main.ts), in a room holding more than 1,000
// messages in the recovery window. The next owner of the stream finds the reply by paging through the window
// (the message list is oldest first, 500 at most per call) and does not post it again.

stackTest.override('stackOptions', {
  workerEnv: {
    WORKER_CONCURRENCY: '2',
    DRAIN_BATCH: '5',
    LOCK_DURATION_MS: '3000',
    STALLED_INTERVAL_MS: '1000',
    SEND_RATE_PER_STREAM: '1000',
    SEND_BURST_PER_STREAM: '1000',
  },
});

const workers: { proc: NodeProcess; opsPort: number }[] = [];

stackTest.beforeAll(async ({ stack }) => {
  for (const id of ['busy-1', 'busy-2']) {
    const opsPort = await freePort();
    const proc = await stack.spawnWorker(id, { OPS_PORT: String(opsPort), OPS_HOST: '127.0.0.1' });
    workers.push({ proc, opsPort });
  }
});

/** The sum of a counter's samples (all label sets) a worker's `/metrics` shows, filtered by `labels`. */
async function counter(opsPort: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !line.includes(labels)) continue;
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) sum += Number(m[2]);
  }
  return sum;
}

describe('reply recovery in a busy room, across a real process kill', () => {
  stackTest(
    'a worker SIGKILLed right after its post in a room of 1,100+ messages: the next owner finds the reply, posts nothing',
    async ({ stack }) => {
      const room = stack.room('busy-room');
      // 1,100 messages in the window, before the reply. The bot's own (the ingester drops them: no handler
      // work), so the room is busy for the message list only.
      for (let i = 0; i < 1_100; i++) {
        stack.sim.control.sendMessage(room, { fromUserId: stack.bot.userId, text: `earlier traffic ${i}` });
      }
      const ours = () =>
        stack
          .botMessages(room)
          .map((m) => m.text)
          .filter((t) => t.startsWith('echo '));
      stack.say(room, 'a');
      await waitFor('the reply to a', () => ours().includes('echo a'), 20_000);
      stack.say(room, 'crash-after-post');
      stack.say(room, 'b');
      await waitFor(
        'the reply to b, after the kill',
        () => ours().includes('echo b'),
        40_000,
        () => `${JSON.stringify(ours())}\n${workers.map((w) => w.proc.tail(10)).join('\n')}`,
      );
      await sleep(1_000); // a doubled reply would show now
      // The kill landed after the post: the process died by SIGKILL with the reply in the stream.
      expect(
        await stack.redis.exists(`${stack.prefix}:test:crashed:<messageML>echo crash-after-post</messageML>`),
      ).toBe(1);
      const victims = workers.filter((w) => !w.proc.running);
      expect(victims).toHaveLength(1);
      expect(victims[0]?.proc.exits.at(-1)?.signal).toBe('SIGKILL');
      // The reply is the 1,102nd message of the window: one read (the 500 oldest) would not have seen it.
      const all = stack.sim.control.listMessages(room);
      expect(all.findIndex((m) => m.text === 'echo crash-after-post')).toBeGreaterThan(1_000);
      // Exactly one reply, in order.
      expect(ours()).toEqual(['echo a', 'echo crash-after-post', 'echo b']);
      // The survivor's recovery read paged through the window and found the reply.
      const survivor = workers.find((w) => w.proc.running);
      expect(survivor).toBeDefined();
      const port = survivor?.opsPort ?? 0;
      expect(await counter(port, 'baton_worker_reply_recovery_reads_total', 'outcome="found"')).toBe(1);
      expect(await counter(port, 'baton_worker_reply_recovery_reads_total')).toBe(1);
      expect(await counter(port, 'baton_worker_reply_recovery_pages_total')).toBeGreaterThanOrEqual(3);
      expect(await counter(port, 'baton_worker_replies_total', 'outcome="recovered"')).toBe(1);
    },
    90_000,
  );
});
