import { setTimeout as sleep } from 'node:timers/promises';
import { bullmqPrefix, createLogger, queueNames, scheduleDrain } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { testStreamId, waitFor } from '@baton/testing';
import { Queue } from 'bullmq';
import { afterAll, describe, expect } from 'vitest';
import { loadRuntimeConfig } from '../src/config.ts';
import { type BatonWorker, createWorker } from '../src/create-worker.ts';
import { createScriptedBot } from './support/scripted-bot.ts';

// Redis restarts (graceful SHUTDOWN with AOF) while workers drain: they recover on their own, nothing lost or doubled.
const logger = createLogger({ level: 'silent' });
let drainQueue: Queue;
const workers: BatonWorker[] = [];
const bot = createScriptedBot();
const client = createFakeSymphonyClient();
const prefix = uniquePrefix('rr');

redisTest.override('redisOptions', { forceSpawn: true, appendOnly: true });
redisTest.beforeAll(async ({ redis, redisServer }) => {
  drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  drainQueue.on('error', () => {});
  for (const id of ['r1', 'r2']) {
    const config = loadRuntimeConfig({
      REDIS_URL: redisServer.url,
      BATON_PREFIX: prefix,
      WORKER_ID: id,
      WORKER_CONCURRENCY: '4',
      DRAIN_BATCH: '5',
      OPS_PORT: '-1',
      SEND_RATE_PER_STREAM: '1000',
      SEND_BURST_PER_STREAM: '1000',
      LOCK_DURATION_MS: '3000',
      STALLED_INTERVAL_MS: '1000',
    });
    const w = createWorker(config, { bot, client, logger });
    await w.start();
    workers.push(w);
  }
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await drainQueue?.close();
});

describe('Redis restart', () => {
  redisTest(
    'workers resume after Redis comes back: every event replied once, in order',
    async ({ redisServer }) => {
      const streams = Array.from({ length: 6 }, (_, i) => testStreamId(`rr${i}`));
      const perStream = 30;
      const mailbox = workers[0]!.mailbox;
      let k = 0;
      for (let i = 0; i < perStream; i++) {
        const res = await mailbox.enqueue(
          streams.map((s) => ({
            key: `k${++k}`,
            streamId: s,
            event: rawMessageSent({ streamId: s, text: `sleep:20 n${i}` }),
          })),
          { dedupTtlSec: 600 },
        );
        for (const s of res.freshStreams) await scheduleDrain(drainQueue, s);
      }
      await waitFor('some replies', () => client.sent.length > 20, 30_000);
      await redisServer.stop();
      await sleep(1_500);
      await redisServer.start();
      const count = () => client.sent.length;
      await waitFor(
        'all replies',
        () => count() >= streams.length * perStream,
        45_000,
        () => `${count()} replies`,
      );
      await sleep(500);
      for (const s of streams) {
        expect(client.sent.filter((m) => m.streamId === s).map((m) => m.message)).toEqual(
          Array.from({ length: perStream }, (_, i) => `<messageML>echo sleep:20 n${i}</messageML>`),
        );
      }
    },
    55_000,
  );
});
