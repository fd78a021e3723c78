import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { createScriptedBot } from './support/scripted-bot.ts';
import { workerTest } from './support/worker-test.ts';

// Redis restarts (graceful SHUTDOWN with AOF) while workers drain: they recover on their own, nothing lost or doubled.
const logger = createLogger({ level: 'silent' });
const bot = createScriptedBot();
const client = createFakeSymphonyClient();

workerTest.override('redisOptions', { forceSpawn: true, appendOnly: true });
workerTest.beforeAll(async ({ rig }) => {
  for (const id of ['r1', 'r2']) {
    await rig.start(
      {
        WORKER_ID: id,
        WORKER_CONCURRENCY: '4',
        DRAIN_BATCH: '5',
        SEND_RATE_PER_STREAM: '1000',
        SEND_BURST_PER_STREAM: '1000',
        LOCK_DURATION_MS: '3000',
        STALLED_INTERVAL_MS: '1000',
      },
      { bot, client, logger },
    );
  }
});

describe('Redis restart', () => {
  workerTest(
    'workers resume after Redis comes back: every event replied once, in order',
    async ({ redisServer, rig }) => {
      const streams = Array.from({ length: 6 }, (_, i) => testStreamId(`rr${i}`));
      const perStream = 30;
      let k = 0;
      for (let i = 0; i < perStream; i++) {
        await rig.push(
          streams.map((s) => ({
            key: `k${++k}`,
            streamId: s,
            event: rawMessageSent({ streamId: s, text: `sleep:20 n${i}` }),
          })),
        );
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
