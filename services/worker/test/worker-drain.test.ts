import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, MailboxKeys, scheduleDrain } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import type { BatonWorker } from '../src/create-worker.ts';
import { createBullmqScheduler } from '../src/runtime/bullmq-scheduler.ts';
import { createScriptedBot } from './support/scripted-bot.ts';
import type { WorkerRig } from './support/worker-rig.ts';
import { workerTest } from './support/worker-test.ts';

const logger = createLogger({ level: 'silent' });
const prefix = uniquePrefix('wd');
/** The replicas running now (a test may stop them and start others). */
const workers: BatonWorker[] = [];
const bot = createScriptedBot();
const client = createFakeSymphonyClient();
let seq = 0;

/** Starts replica `id` on the rig. */
const startReplica = (rig: WorkerRig, id: string) =>
  rig.start(
    {
      WORKER_ID: id,
      WORKER_CONCURRENCY: '4',
      DRAIN_BATCH: '5',
      HANDLER_ATTEMPTS: '3',
      HANDLER_BACKOFF_MS: '50',
      SEND_RATE_PER_STREAM: '1000',
      SEND_BURST_PER_STREAM: '1000',
      LOCK_DURATION_MS: '3000',
      STALLED_INTERVAL_MS: '1000',
      HEARTBEAT_INTERVAL_MS: '500',
    },
    { bot, client, logger },
  );

/** A message sent in `streamId`, as `push` takes it. */
const message = (streamId: string, text: string) => ({ streamId, event: rawMessageSent({ streamId, text }) });

/** `rig.push`, with a key of its own for each item that names none. */
const push = (rig: WorkerRig, items: { streamId: string; event: unknown; key?: string }[]) =>
  rig.push(items.map((i) => ({ key: i.key ?? `k${++seq}`, streamId: i.streamId, event: i.event })));

const repliesIn = (streamId: string) =>
  client.sent.filter((m) => m.streamId === streamId).map((m) => m.message);

workerTest.override('rigPrefix', prefix);
workerTest.beforeAll(async ({ rig }) => {
  for (let i = 0; i < 2; i++) workers.push(await startReplica(rig, `w${i}`));
});

describe('worker drain (in-process replicas, real Redis)', () => {
  workerTest(
    'keeps per-stream order across 2 workers × concurrency 4, and interleaves streams',
    async ({ redis, rig }) => {
      const streams = Array.from({ length: 12 }, (_, i) => testStreamId(`order${i}`));
      const perStream = 25;
      for (let i = 0; i < perStream; i++) {
        await push(
          rig,
          streams.map((s) => message(s, `n${i}`)),
        );
      }
      await waitFor('all replies', () => streams.every((s) => repliesIn(s).length === perStream), 20_000);
      const lastIndex: number[] = [];
      const firstIndex: number[] = [];
      for (const s of streams) {
        const texts = bot.handled.filter((h) => h.streamId === s).map((h) => h.text);
        expect(texts).toEqual(Array.from({ length: perStream }, (_, i) => `n${i}`));
        expect(repliesIn(s)).toEqual(texts.map((t) => `<messageML>echo ${t}</messageML>`));
        firstIndex.push(bot.handled.findIndex((h) => h.streamId === s));
        lastIndex.push(bot.handled.findLastIndex((h) => h.streamId === s));
      }
      // interleaved: every stream had started before the first stream finished
      expect(Math.max(...firstIndex)).toBeLessThan(Math.min(...lastIndex));
      const heartbeats = await redis.keys(`${prefix}:workers:*`);
      expect(heartbeats.sort()).toEqual([`${prefix}:workers:w0`, `${prefix}:workers:w1`]);
    },
  );

  workerTest(
    'retries a failing handler in place, dead-letters it after N attempts, replies once, goes on; replay re-drives it',
    async ({ rig }) => {
      const s = testStreamId('dlqstream');
      await push(
        rig,
        ['a1', 'fail-once', 'a2'].map((t) => message(s, t)),
      );
      await waitFor('a2 handled', () => repliesIn(s).includes('<messageML>echo a2</messageML>'), 20_000);
      expect(bot.handled.filter((h) => h.streamId === s).map((h) => `${h.text}#${h.attempt}`)).toEqual([
        'a1#1',
        'fail-once#1',
        'fail-once#2',
        'fail-once#3',
        'a2#1',
      ]);
      expect(repliesIn(s)).toEqual([
        '<messageML>echo a1</messageML>',
        '<messageML>Sorry, something went wrong handling that message.</messageML>',
        '<messageML>echo a2</messageML>',
      ]);
      const dlq = workers[0]!.deadLetters;
      const entries = (await dlq.list()).filter((e) => e.data.streamId === s);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.data).toMatchObject({
        stage: 'handle',
        attempts: 3,
        error: { message: 'scripted failure: fail-once' },
      });

      bot.state.failing = false;
      try {
        const res = await dlq.replay(entries[0]!.id);
        expect(res.streamId).toBe(s);
        await waitFor(
          'replayed event handled',
          () => repliesIn(s).includes('<messageML>echo fail-once</messageML>'),
          20_000,
        );
      } finally {
        bot.state.failing = true;
      }
      expect(await dlq.show(entries[0]!.id)).toBeUndefined();
      expect(repliesIn(s).at(-1)).toBe('<messageML>echo fail-once</messageML>');
    },
  );

  workerTest(
    'dead-letters invalid events and corrupt mailbox entries (ingest stage) and goes on',
    async ({ redis, rig }) => {
      const s = testStreamId('badstream');
      await push(rig, [
        { streamId: s, event: { type: 'BOGUS', id: 'x', payload: {} } },
        message(s, 'after-invalid'),
      ]);
      await waitFor('after-invalid', () => repliesIn(s).length === 1, 20_000);
      const c = testStreamId('corruptstream');
      const keys = new MailboxKeys(prefix, 16);
      await redis.rpush(keys.list(keys.partitionOf(c), c), 'not json at all');
      await push(rig, [message(c, 'after-corrupt')]);
      await scheduleDrain(rig.drainQueue, c);
      await waitFor('after-corrupt', () => repliesIn(c).length === 1, 20_000);
      const dlq = await workers[0]!.deadLetters.list({ limit: 100 });
      const ingest = dlq.filter((e) => e.data.stage === 'ingest');
      expect(ingest.map((e) => e.data.streamId).sort()).toEqual([s, c].sort());
      expect(ingest.find((e) => e.data.streamId === s)?.data.reason).toMatch(/invalid event/);
      expect(ingest.find((e) => e.data.streamId === c)?.data.raw).toBe('not json at all');
      await expect(workers[0]!.deadLetters.replay(ingest[0]!.id)).rejects.toMatchObject({
        code: 'DLQ_NOT_REPLAYABLE',
      });
    },
  );

  workerTest(
    'dead-letters markup the event model refuses (DOCTYPE) at the first attempt as invalid input: no retry, not replayable',
    async ({ rig }) => {
      const s = testStreamId('markupstream');
      const count = async (
        pick: (w: BatonWorker) => { get(): Promise<{ values: { value: number; labels: object }[] }> },
        labels: object,
      ) => {
        let n = 0;
        for (const w of workers) {
          for (const v of (await pick(w).get()).values) if (isMatch(v.labels, labels)) n += v.value;
        }
        return n;
      };
      const retriesBefore = await count((w) => w.metrics.retries, {});
      const invalidBefore = await count((w) => w.metrics.dlqAdds, { stage: 'ingest', reason: 'invalid' });
      const doctype =
        '<div data-format="PresentationML" data-version="2.0"><!DOCTYPE x [<!ENTITY e "boom">]><p>&e;</p></div>';
      await push(rig, [
        { streamId: s, key: 'markup-1', event: rawMessageSent({ streamId: s, presentationML: doctype }) },
        message(s, 'after-markup'),
      ]);
      await waitFor(
        'after-markup',
        () => repliesIn(s).includes('<messageML>echo after-markup</messageML>'),
        20_000,
      );
      // No retry, no failure reply: the stream went on at once.
      expect(await count((w) => w.metrics.retries, {})).toBe(retriesBefore);
      expect(repliesIn(s)).toEqual(['<messageML>echo after-markup</messageML>']);
      // The event model itself refuses a declaration (docs/event-model.md): the worker's parse dead-letters it.
      expect(await count((w) => w.metrics.dlqAdds, { stage: 'ingest', reason: 'invalid' })).toBe(
        invalidBefore + 1,
      );
      const entries = (await workers[0]!.deadLetters.list({ limit: 100 })).filter(
        (e) => e.data.streamId === s,
      );
      expect(entries).toHaveLength(1);
      expect(entries[0]!.data).toMatchObject({ stage: 'ingest' });
      expect(entries[0]!.data.reason).toMatch(/not well-formed PresentationML: a <!…> declaration/);
      expect(entries[0]!.data.attempts).toBeUndefined();
      await expect(workers[0]!.deadLetters.replay(entries[0]!.id)).rejects.toMatchObject({
        code: 'DLQ_NOT_REPLAYABLE',
      });
    },
  );

  workerTest('a slow handler in one stream delays no other stream', async ({ rig }) => {
    await push(rig, [message(testStreamId('slowA'), 'sleep:4000 slow')]);
    await waitFor(
      'slow handler started',
      () => bot.handled.some((h) => h.streamId === testStreamId('slowA')),
      20_000,
    );
    const others = ['fastB', 'fastC', 'fastD'].map((label) => testStreamId(label));
    for (let i = 0; i < 5; i++)
      await push(
        rig,
        others.map((s) => message(s, `f${i}`)),
      );
    await waitFor('fast streams done', () => others.every((s) => repliesIn(s).length === 5), 20_000);
    expect(repliesIn(testStreamId('slowA'))).toEqual([]);
    await waitFor('slow done', () => repliesIn(testStreamId('slowA')).length === 1, 20_000);
  });

  workerTest(
    'a drainer whose stream was taken over posts nothing and stops; the successor answers the event once',
    async ({ rig }) => {
      const s = testStreamId('fenced');
      const fencedBefore = await fencedAcks();
      await push(
        rig,
        ['sleep:1500 x1', 'x2'].map((t) => message(s, t)),
      );
      await waitFor('x1 started', () => bot.handled.some((h) => h.streamId === s), 20_000);
      await workers[0]!.mailbox.claim(s); // a takeover (e.g. the lease was lost): the running drain is fenced
      await waitFor('fenced ack', async () => (await fencedAcks()) === fencedBefore + 1, 20_000);
      expect(await workers[0]!.mailbox.length(s)).toBe(2); // x1 was not popped by the stale drainer
      await scheduleDrain(rig.drainQueue, s);
      await waitFor('x2', () => repliesIn(s).length === 2, 20_000);
      // The deposed drainer's handler ran, but its reply was refused (it no longer owned the stream); the new
      // owner ran x1 again and is the only one that answered it.
      expect(bot.handled.filter((h) => h.streamId === s).map((h) => h.text)).toEqual([
        'sleep:1500 x1',
        'sleep:1500 x1',
        'x2',
      ]);
      expect(repliesIn(s)).toEqual([
        '<messageML>echo sleep:1500 x1</messageML>',
        '<messageML>echo x2</messageML>',
      ]);
      // The ack follows the reply's POST: wait for it rather than read in between.
      await waitFor('x2 acked', async () => (await workers[0]!.mailbox.length(s)) === 0, 20_000);
    },
  );

  it('exposes the metrics', async () => {
    const text = (await Promise.all(workers.map((w) => w.registry.metrics()))).join('\n');
    expect(text).toMatch(/baton_worker_events_handled_total\{[^}]*type="MESSAGESENT"[^}]*outcome="handled"/);
    expect(text).toMatch(/baton_worker_handler_retries_total/);
    expect(text).toMatch(/baton_worker_dlq_adds_total\{[^}]*stage="handle"/);
    expect(text).toMatch(/baton_worker_replies_total\{[^}]*outcome="posted"/);
  });
});

async function fencedAcks(): Promise<number> {
  let n = 0;
  for (const w of workers) n += (await w.metrics.fencedAcks.get()).values[0]?.value ?? 0;
  return n;
}

describe('graceful stop', () => {
  workerTest(
    'stop() finishes the event in hand, takes nothing more, and hands the rest of the stream over',
    async ({ redis, rig }) => {
      const s = testStreamId('graceful');
      await push(
        rig,
        ['sleep:1000 g1', 'g2', 'g3'].map((t) => message(s, t)),
      );
      await waitFor('g1 started', () => bot.handled.some((h) => h.streamId === s), 20_000);
      // All at once: stopped one after the other, a worker still running could take the stream the first one
      // handed back (and rightly handle g2) before its own stop() began.
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      expect(repliesIn(s)).toEqual(['<messageML>echo sleep:1000 g1</messageML>']);
      expect(bot.handled.filter((h) => h.streamId === s).map((h) => h.text)).toEqual(['sleep:1000 g1']);
      expect(await redis.exists(`${prefix}:workers:w0`)).toBe(0); // heartbeat removed
      workers.push(await startReplica(rig, 'w-next'));
      await waitFor('g2, g3 by the next worker', () => repliesIn(s).length === 3, 20_000);
      expect(repliesIn(s).slice(1)).toEqual([
        '<messageML>echo g2</messageML>',
        '<messageML>echo g3</messageML>',
      ]);
    },
  );
});

describe('scheduled tasks', () => {
  workerTest('run as delayed BullMQ jobs and survive a worker restart', async ({ redis, rig }) => {
    const scheduler = createBullmqScheduler(rig.scheduledQueue, { attempts: 3, backoffMs: 50 });
    // stop the replicas: the task becomes due while no worker runs
    for (const w of workers.splice(0)) await w.stop();
    const id = await scheduler.schedule(800, { name: 'remind', streamId: 'tasks', data: { text: 'hi' } });
    await sleep(1_200);
    expect(bot.tasks).toHaveLength(0);
    const w = await startReplica(rig, 'w-restarted');
    workers.push(w);
    await waitFor('task ran', () => repliesIn('tasks').length === 1, 20_000);
    expect(bot.tasks).toEqual([{ name: 'remind', streamId: 'tasks', data: { text: 'hi' }, id }]);
    expect(client.sent.find((m) => m.streamId === 'tasks')?.parsedData['batonSource']).toMatchObject({
      eventKey: `task-${id}`,
      replyIndex: 0,
    });
    // a task that fails for good lands in the DLQ; replay re-adds it, due now
    const failing = await scheduler.schedule(0, { name: 'fail-task', streamId: 'tasks2', data: {} });
    const dlq = w.deadLetters;
    await waitFor(
      'task dead-lettered',
      async () => (await dlq.list()).some((e) => e.data.key === `task-${failing}`),
      20_000,
    );
    const entry = (await dlq.list()).find((e) => e.data.key === `task-${failing}`)!;
    expect(entry.data).toMatchObject({ stage: 'handle', streamId: 'tasks2', attempts: 3 });
    expect(bot.tasks.filter((t) => t.name === 'fail-task')).toHaveLength(3);
    await redis.set(`${prefix}:state:fixed`, 'true');
    await dlq.replay(entry.id);
    await waitFor('replayed task ran', () => repliesIn('tasks2').length === 1, 20_000);
    expect(repliesIn('tasks2')).toEqual(['<messageML>task fail-task</messageML>']);
    await redis.del(`${prefix}:state:fixed`);
  });
});

function isMatch(labels: object, want: object): boolean {
  return Object.entries(want).every(([k, v]) => (labels as Record<string, unknown>)[k] === v);
}
