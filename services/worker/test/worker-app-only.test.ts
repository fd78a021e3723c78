import { setTimeout as sleep } from 'node:timers/promises';
import { createBot } from '@baton/bot';
import { createSimulator, type Simulator } from '@baton/pod-simulator';
import { type ClosableOboClients, createLogger, createOboClients, scheduleDrain } from '@baton/shared';
import { waitFor } from '@baton/testing';
import { afterAll, describe, expect } from 'vitest';
import type { BatonWorker } from '../src/create-worker.ts';
import { createBullmqScheduler } from '../src/runtime/bullmq-scheduler.ts';
import { createNoBotAccountClient } from '../src/runtime/no-bot-account-client.ts';
import { workerTest } from './support/worker-test.ts';

// An app-only worker: an on-behalf-of app and no bot account. It runs scheduled tasks (which act through
// `ctx.obo`), takes no drain jobs, and refuses what only the bot account can do (NO_BOT_ACCOUNT).

const logger = createLogger({ level: 'silent' });
let sim: Simulator;
let obo: ClosableOboClients;
let worker: BatonWorker;
let aliceId: number;
let roomId: string;
const failures: string[] = [];

const bot = createBot({ name: 'app-only-bot' })
  .task('announce', async (ctx) => {
    const { userId, text } = ctx.data as { userId: number; text: string };
    await ctx.obo({ userId }).send(ctx.streamId, text);
  })
  .task('bot-reply', async (ctx) => {
    try {
      await ctx.reply('from the bot');
    } catch (err) {
      failures.push(String((err as { code?: unknown }).code));
      throw err;
    }
  });

workerTest.beforeAll(async ({ rig }) => {
  sim = await createSimulator({ longPollMs: 200 });
  const app = sim.control.generateKeyPair();
  aliceId = sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId;
  const bobId = sim.control.createUser({ username: 'bob' }).userId;
  sim.control.registerApp({ appId: 'announcer', publicKeyPem: app.publicKeyPem });
  sim.control.installApp('announcer', aliceId);
  roomId = sim.control.createStream({ type: 'ROOM', name: 'News', memberIds: [aliceId, bobId] }).streamId;
  obo = createOboClients(
    { podUrl: sim.url, appId: 'announcer', appPrivateKeyPem: app.privateKeyPem },
    { logger },
  );
  // No session info call at its start: there is no bot account.
  worker = await rig.start(
    { HANDLER_ATTEMPTS: '2', HANDLER_BACKOFF_MS: '50', HEARTBEAT_INTERVAL_MS: '500' },
    { bot, client: createNoBotAccountClient(), obo, appOnly: { appId: obo.appId }, logger },
  );
});

afterAll(async () => {
  await worker?.stop(); // before its OBO clients and the simulator (the rig's stop after it is a no-op)
  obo?.close();
  await sim?.close();
});

describe('an app-only worker', () => {
  workerTest(
    'runs a scheduled task that posts on behalf of a user: the message is the user’s',
    async ({ rig }) => {
      const scheduler = createBullmqScheduler(rig.scheduledQueue, { attempts: 2, backoffMs: 50 });
      await scheduler.schedule(0, {
        name: 'announce',
        streamId: roomId,
        data: { userId: aliceId, text: 'Standup now' },
      });
      await waitFor('the OBO post', () => sim.control.listMessages(roomId).length === 1, 15_000);
      expect(sim.control.listMessages(roomId)[0]).toMatchObject({
        text: 'Standup now',
        sender: { userId: aliceId, username: 'alice', bot: false },
      });
    },
  );

  workerTest(
    'refuses the bot account’s calls with NO_BOT_ACCOUNT (the task fails and is dead-lettered)',
    async ({ rig }) => {
      const scheduler = createBullmqScheduler(rig.scheduledQueue, { attempts: 2, backoffMs: 50 });
      await scheduler.schedule(0, { name: 'bot-reply', streamId: roomId, data: {} });
      await waitFor('the dead-lettered task', async () => (await worker.deadLetters.count()) === 1, 15_000);
      expect(failures).toEqual(['NO_BOT_ACCOUNT', 'NO_BOT_ACCOUNT']);
      expect(sim.control.listMessages(roomId).map((m) => m.text)).toEqual(['Standup now']);
    },
  );

  workerTest(
    'takes no drain jobs (no datafeed without a bot account, so nothing to drain)',
    async ({ rig }) => {
      await scheduleDrain(rig.drainQueue, 'some-stream');
      await sleep(500);
      expect(await rig.drainQueue.getJobCounts('waiting', 'active', 'completed')).toEqual({
        waiting: 1,
        active: 0,
        completed: 0,
      });
    },
  );
});
