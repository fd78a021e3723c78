import { setTimeout as sleep } from 'node:timers/promises';
import { createBot } from '@baton/bot';
import { createSimulator, type Simulator } from '@baton/pod-simulator';
import {
  bullmqPrefix,
  type ClosableOboClients,
  createLogger,
  createOboClients,
  queueNames,
  scheduleDrain,
} from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeConfig } from '../src/config.ts';
import { type BatonWorker, createWorker } from '../src/create-worker.ts';
import { createBullmqScheduler } from '../src/runtime/bullmq-scheduler.ts';
import { createNoBotAccountClient } from '../src/runtime/no-bot-account-client.ts';

// An app-only worker: an on-behalf-of app and no bot account. It runs scheduled tasks (which act through
// `ctx.obo`), takes no drain jobs, and refuses what only the bot account can do (NO_BOT_ACCOUNT).

const logger = createLogger({ level: 'silent' });
let server: TestRedis;
let redis: Redis;
let sim: Simulator;
let obo: ClosableOboClients;
let worker: BatonWorker;
let drainQueue: Queue;
let scheduledQueue: Queue;
let prefix: string;
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

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
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
  prefix = uniquePrefix('apponly');
  const names = queueNames(prefix);
  drainQueue = new Queue(names.drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  scheduledQueue = new Queue(names.scheduled, { connection: redis, prefix: bullmqPrefix(prefix) });
  const config = loadRuntimeConfig({
    REDIS_URL: server.url,
    BATON_PREFIX: prefix,
    HANDLER_ATTEMPTS: '2',
    HANDLER_BACKOFF_MS: '50',
    OPS_PORT: '-1',
    HEARTBEAT_INTERVAL_MS: '500',
  });
  worker = createWorker(config, {
    bot,
    client: createNoBotAccountClient(),
    obo,
    appOnly: { appId: obo.appId },
    logger,
  });
  await worker.start(); // no session info call: there is no bot account
});

afterAll(async () => {
  await worker?.stop();
  obo?.close();
  await drainQueue?.close();
  await scheduledQueue?.close();
  await redis?.quit();
  await sim?.close();
  await server?.close();
});

describe('an app-only worker', () => {
  it('runs a scheduled task that posts on behalf of a user: the message is the user’s', async () => {
    const scheduler = createBullmqScheduler(scheduledQueue, { attempts: 2, backoffMs: 50 });
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
  });

  it('refuses the bot account’s calls with NO_BOT_ACCOUNT (the task fails and is dead-lettered)', async () => {
    const scheduler = createBullmqScheduler(scheduledQueue, { attempts: 2, backoffMs: 50 });
    await scheduler.schedule(0, { name: 'bot-reply', streamId: roomId, data: {} });
    await waitFor('the dead-lettered task', async () => (await worker.deadLetters.count()) === 1, 15_000);
    expect(failures).toEqual(['NO_BOT_ACCOUNT', 'NO_BOT_ACCOUNT']);
    expect(sim.control.listMessages(roomId).map((m) => m.text)).toEqual(['Standup now']);
  });

  it('takes no drain jobs (no datafeed without a bot account, so nothing to drain)', async () => {
    await scheduleDrain(drainQueue, 'some-stream');
    await sleep(500);
    expect(await drainQueue.getJobCounts('waiting', 'active', 'completed')).toEqual({
      waiting: 1,
      active: 0,
      completed: 0,
    });
  });
});
