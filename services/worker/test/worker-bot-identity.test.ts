import { createBot } from '@baton/bot';
import { botFingerprint, createLogger, parseWorkerHeartbeat, workerKeys } from '@baton/shared';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { describe, expect } from 'vitest';
import { BotConflictError } from '../src/runtime/runtime-errors.ts';
import type { WorkerRig } from './support/worker-rig.ts';
import { workerTest } from './support/worker-test.ts';

// Two bots never share a queue by accident: each worker's heartbeat says which bot it runs (id + fingerprint of
// its command set), and a worker refuses to start beside live workers of another bot on the same prefix.

const logger = createLogger({ level: 'silent' });
const client = createFakeSymphonyClient();

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

/** A worker of `bot` on `prefix` (each test its own), stopped at the end of the file. */
const worker = (rig: WorkerRig, prefix: string, id: string, bot: ReturnType<typeof createBot>) =>
  rig.worker(
    { BATON_PREFIX: prefix, WORKER_ID: id, HEARTBEAT_INTERVAL_MS: '500' },
    { bot, client, logger, botUser: { userId: 1, username: 'bot' } },
  );

describe('bot identity in heartbeats', () => {
  workerTest(
    'the heartbeat carries the bot id and the fingerprint of its commands',
    async ({ redis, rig, prefix }) => {
      const w = worker(rig, prefix, 'w1', deskBot());
      await w.start();
      const beat = parseWorkerHeartbeat(await redis.get(workerKeys(prefix).heartbeat('w1')));
      expect(beat?.bot).toEqual({
        id: 'desk-bot',
        fingerprint: botFingerprint(['/help [topic:text]', '/price {ticker}']),
        commands: 2,
      });
    },
  );

  workerTest(
    'a worker of another bot refuses to start on the same prefix, and leaves no heartbeat',
    async ({ redis, rig, prefix }) => {
      const desk = worker(rig, prefix, 'desk-1', deskBot());
      await desk.start();

      const hr = worker(rig, prefix, 'hr-1', otherBot());
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
      const upgraded = worker(rig, prefix, 'desk-2', deskBot(true));
      await upgraded.start();
      const [a, b] = await Promise.all(
        ['desk-1', 'desk-2'].map(async (id) =>
          parseWorkerHeartbeat(await redis.get(workerKeys(prefix).heartbeat(id))),
        ),
      );
      expect(a?.bot.id).toBe(b?.bot.id);
      expect(a?.bot.fingerprint).not.toBe(b?.bot.fingerprint);

      // Another prefix is another queue: the other bot starts there.
      const elsewhere = worker(rig, uniquePrefix('bid'), 'hr-2', otherBot());
      await elsewhere.start();
    },
  );
});
