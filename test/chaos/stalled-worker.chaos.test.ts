import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { burstReplies, sendEchoRound } from '../support/echo-burst.ts';
import { usePipelineStack } from '../support/pipeline-stack.ts';
import { auditReplies, type SentEvent } from '../support/reply-audit.ts';

// A worker whose process freezes (SIGSTOP: a VM pause, a long GC, a stalled event loop) loses its BullMQ lock;
// another worker takes the stream over. When the frozen one wakes up (SIGCONT) it must not post what the new
// owner already posted. The default per-stream send rate (2/s) keeps drainers waiting between reading the
// reply mark and posting, which is where a frozen drainer is most likely to be.
const stack = usePipelineStack(
  {
    rooms: 3,
    users: 40,
    ingesters: 1,
    workers: 2,
    workerEnv: { SEND_RATE_PER_STREAM: '2', SEND_BURST_PER_STREAM: '3' },
  },
  {
    startTimeoutMs: 120_000,
    beforeClose: (s) => {
      for (const w of s.workers) if (w.pid) process.kill(w.pid, 'SIGCONT');
    },
  },
);

describe('a frozen worker wakes up after its streams were taken over', () => {
  // The woken drainer still holds an event it read before freezing. Before posting it asks whether it still
  // owns the stream (its fencing token), and the "started" mark is written only if the reply is not "done", so
  // it posts nothing (this drill reproduced the double reply 4 times out of 4 before that check existed).
  it('answers every event once, in order', async () => {
    const s = stack();
    const sent: SentEvent[] = [];
    const perRoom = 24;
    for (let seq = 0; seq < perRoom; seq++) sent.push(...sendEchoRound(s, 's', seq));
    const answered = () => burstReplies(s).length;
    let freezes = 0;
    for (let round = 0; round < 3 && answered() < sent.length; round++) {
      await sleep(1_500);
      // Freeze the first worker for longer than its lock (3 s) plus a stalled check (1 s), then wake it up.
      const victim = s.workers[0]!;
      if (!victim.pid || !victim.running) break;
      process.kill(victim.pid, 'SIGSTOP');
      freezes += 1;
      await sleep(5_500);
      process.kill(victim.pid, 'SIGCONT');
    }
    await waitFor('every reply', () => answered() >= sent.length, 60_000);
    await sleep(3_000); // the woken worker's late posts land now
    const audit = auditReplies(sent, burstReplies(s));
    expect(freezes).toBeGreaterThan(0);
    expect(audit.lost).toEqual([]);
    expect(audit.duplicatedEvents.map((d) => d.event.text)).toEqual([]);
    expect(audit.reordered).toBe(0);
  }, 150_000);
});
