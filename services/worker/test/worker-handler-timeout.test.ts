import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeBot, RuntimeServices, TaskRun } from '@baton/bot';
import { type BatonEvent, createLogger, presentationMlToText } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import type { BatonWorker } from '../src/create-worker.ts';
import { createBullmqScheduler } from '../src/runtime/bullmq-scheduler.ts';
import { AttemptClosedError } from '../src/runtime/runtime-errors.ts';
import { workerTest } from './support/worker-test.ts';

const TIMEOUT_MS = 400;
const logger = createLogger({ level: 'silent' });
let worker: BatonWorker;
const client = createFakeSymphonyClient();
const attempts: string[] = [];
/** What each abandoned handler's late calls got: 'refused' or 'sent'. */
const late: string[] = [];

const never = new Promise<void>(() => {});

/** After the attempt timed out, tries to reach the user every way it has, then hangs on. */
async function lateCalls(services: RuntimeServices, streamId: string): Promise<void> {
  await sleep(TIMEOUT_MS + 150);
  const calls: [string, () => Promise<unknown>][] = [
    ['reply', () => services.replies.send(streamId, { message: '<messageML>late reply</messageML>' })],
    ['post', () => services.client.sendMessage(streamId, { message: '<messageML>late post</messageML>' })],
    ['schedule', () => services.scheduler.schedule(0, { name: 'late', streamId, data: {} })],
  ];
  for (const [what, call] of calls) {
    try {
      await call();
      late.push(`${what}:sent`);
    } catch (err) {
      late.push(`${what}:${err instanceof AttemptClosedError ? 'refused' : String(err)}`);
    }
  }
}

const bot: RuntimeBot = {
  async handle(event: BatonEvent, services, meta) {
    if (event.type !== 'MESSAGESENT') return;
    const text = presentationMlToText(event.payload.messageSent.message.message);
    const streamId = event.payload.messageSent.message.stream.streamId;
    attempts.push(`${text}#${meta.attempt}`);
    if (text === 'hang') {
      void lateCalls(services, streamId);
      return never;
    }
    await services.replies.send(streamId, { message: `<messageML>echo ${text}</messageML>` });
  },
  async handleTask(task: TaskRun, services) {
    attempts.push(`task:${task.name}`);
    if (task.name === 'hang-task') {
      void lateCalls(services, task.streamId);
      return never;
    }
    await services.replies.send(task.streamId, { message: `<messageML>task ${task.name}</messageML>` });
  },
  failureReply: () => 'Sorry, that took too long.',
};

const repliesIn = (streamId: string) =>
  client.sent.filter((m) => m.streamId === streamId).map((m) => m.message);

workerTest.beforeAll(async ({ rig }) => {
  worker = await rig.start(
    {
      HANDLER_ATTEMPTS: '2',
      HANDLER_BACKOFF_MS: '50',
      HANDLER_TIMEOUT_MS: String(TIMEOUT_MS),
      SEND_RATE_PER_STREAM: '1000',
      SEND_BURST_PER_STREAM: '1000',
      HEARTBEAT_INTERVAL_MS: '500',
    },
    { bot, client, logger },
  );
});

describe('HANDLER_TIMEOUT_MS', () => {
  workerTest(
    'fails an attempt that never resolves, retries it, dead-letters it; its late replies never reach the user',
    async ({ rig }) => {
      const s = testStreamId('slowstream');
      await rig.push(
        ['hang', 'after'].map((t, i) => ({
          key: `timeout-${i}`,
          streamId: s,
          event: rawMessageSent({ streamId: s, text: t }),
        })),
      );

      await waitFor(
        'the next event handled',
        () => repliesIn(s).includes('<messageML>echo after</messageML>'),
        20_000,
      );
      expect(attempts.filter((a) => !a.startsWith('task:'))).toEqual(['hang#1', 'hang#2', 'after#1']);
      const dead = await worker.deadLetters.list();
      expect(dead).toHaveLength(1);
      expect(dead[0]?.data).toMatchObject({ stage: 'handle', streamId: s, attempts: 2 });
      expect(JSON.stringify(dead[0]?.data.error)).toContain('HandlerTimeoutError');

      // Both abandoned attempts try to reply, post and schedule after their timeout: all refused.
      await waitFor('the late calls of both attempts', () => late.length === 6, 20_000);
      expect(late).toEqual(
        Array.from({ length: 2 }, () => ['reply:refused', 'post:refused', 'schedule:refused']).flat(),
      );
      await sleep(200);
      expect(repliesIn(s)).toEqual([
        '<messageML>Sorry, that took too long.</messageML>',
        '<messageML>echo after</messageML>',
      ]);
      expect(await rig.scheduledQueue.getJobCounts('waiting', 'delayed', 'active')).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
      });
    },
  );

  workerTest(
    'applies to scheduled tasks too: retried by BullMQ, dead-lettered, late replies dropped',
    async ({ rig }) => {
      late.length = 0;
      const scheduler = createBullmqScheduler(rig.scheduledQueue, { attempts: 2, backoffMs: 50 });
      await scheduler.schedule(0, { name: 'hang-task', streamId: 'taskstream', data: {} });
      await waitFor('the task dead-lettered', async () => (await worker.deadLetters.count()) === 2, 20_000);
      expect(attempts.filter((a) => a === 'task:hang-task')).toHaveLength(2);
      await waitFor('the late calls of both runs', () => late.length === 6, 20_000);
      expect(late.every((l) => l.endsWith(':refused'))).toBe(true);
      expect(repliesIn('taskstream')).toEqual([]);
    },
  );
});
