import { createBot } from '@baton/bot';
import { botFingerprint, createLogger, parseWorkerHeartbeat, workerKeys } from '@baton/shared';
import {
  createFakeSymphonyClient,
  startTestRedis,
  type TestRedis,
  uniquePrefix,
} from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeConfig } from '../src/config.ts';
import { type BatonWorker, createWorker } from '../src/create-worker.ts';
import { BotConflictError } from '../src/runtime/runtime-errors.ts';

// Two bots never share a queue by accident: each worker's heartbeat says which bot it runs (id + fingerprint of
// its command set), and a worker refuses to start beside live workers of another bot on the same prefix.

const logger = createLogger({ level: 'silent' });
const client = createFakeSymphonyClient();
let server: TestRedis;
let redis: Redis;
const started: BatonWorker[] = [];

const deskBot = (extra = false) => {
  const bot = createBot({ id: 'desk-bot' }).command('/price {ticker}', {
    description: 'price',
    handler: async (ctx) => {
      await ctx.reply(ctx.args.ticker);
    },
  });
  if (extra) bot.command('/news', { description: 'news', handler: () => {} });
  return bot;
};
const otherBot = () => createBot({ id: 'hr-bot' }).command('/leave', { description: 'x', handler: () => {} });

const worker = (prefix: string, id: string, bot: ReturnType<typeof createBot>) =>
  createWorker(
    loadRuntimeConfig({
      REDIS_URL: server.url,
      BATON_PREFIX: prefix,
      WORKER_ID: id,
      OPS_PORT: '-1',
      HEARTBEAT_INTERVAL_MS: '500',
    }),
    { bot, client, logger, botUser: { userId: 1, username: 'bot' } },
  );

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});
afterEach(async () => {
  for (const w of started.splice(0)) await w.stop();
});
afterAll(async () => {
  await redis.quit();
  await server.close();
});

describe('bot identity in heartbeats', () => {
  it('the heartbeat carries the bot id and the fingerprint of its commands', async () => {
    const prefix = uniquePrefix('bid');
    const w = worker(prefix, 'w1', deskBot());
    await w.start();
    started.push(w);
    const beat = parseWorkerHeartbeat(await redis.get(workerKeys(prefix).heartbeat('w1')));
    expect(beat?.bot).toEqual({
      id: 'desk-bot',
      fingerprint: botFingerprint(['/help [topic:text]', '/price {ticker}']),
      commands: 2,
    });
  });

  it('a worker of another bot refuses to start on the same prefix, and leaves no heartbeat', async () => {
    const prefix = uniquePrefix('bid');
    const desk = worker(prefix, 'desk-1', deskBot());
    await desk.start();
    started.push(desk);

    const hr = worker(prefix, 'hr-1', otherBot());
    const error = await hr.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BotConflictError);
    expect((error as BotConflictError).code).toBe('BOT_CONFLICT');
    expect((error as BotConflictError).others).toEqual([{ workerId: 'desk-1', botId: 'desk-bot' }]);
    expect((error as Error).message).toMatch(/desk-1 runs "desk-bot"/);
    expect(await redis.exists(workerKeys(prefix).heartbeat('hr-1'))).toBe(0);
    await hr.stop();

    // The same bot with a new command (a rolling upgrade) joins; its fingerprint shows the difference.
    const upgraded = worker(prefix, 'desk-2', deskBot(true));
    await upgraded.start();
    started.push(upgraded);
    const [a, b] = await Promise.all(
      ['desk-1', 'desk-2'].map(async (id) =>
        parseWorkerHeartbeat(await redis.get(workerKeys(prefix).heartbeat(id))),
      ),
    );
    expect(a?.bot.id).toBe(b?.bot.id);
    expect(a?.bot.fingerprint).not.toBe(b?.bot.fingerprint);

    // Another prefix is another queue: the other bot starts there.
    const elsewhere = worker(uniquePrefix('bid'), 'hr-2', otherBot());
    await elsewhere.start();
    started.push(elsewhere);
  });
});
