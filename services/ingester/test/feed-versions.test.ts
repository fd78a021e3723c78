import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import {
  ingesterConfig,
  numbersPerStream,
  quietLogger,
  range,
  sendBurst,
  waitReading,
} from './support/sim-fixture.ts';

const running: Ingester[] = [];

ingesterTest.override('simStreams', 8);

afterAll(async () => {
  for (const i of running) await i.stop();
});

const versions: Record<string, string>[] = [
  { FEED_VERSION: 'v1' },
  { FEED_VERSION: 'datahose', DATAHOSE_EVENT_TYPES: 'MESSAGESENT' },
];

describe.each(versions)('feed version $FEED_VERSION', (env) => {
  ingesterTest(
    'reads, keeps per-stream order and stores the feed state',
    async ({ redis, redisServer, fx, prefix }) => {
      const ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix, env), {
        logger: quietLogger(),
      });
      running.push(ingester);
      await ingester.start();
      await waitReading(ingester);
      // Let the first long poll open the feed (the datahose is created by its first read).
      await sleep(300);
      const sent = sendBurst(fx, 10);
      await expect
        .poll(async () => (await ingester.mailbox.backlog()).pending, { timeout: 20_000 })
        .toBe(sent);
      for (const ns of await numbersPerStream(redis, prefix, fx.streamIds)) expect(ns).toEqual(range(0, 10));
      const stored = await ingester.feedState.load();
      expect(stored.version).toBe(env.FEED_VERSION);
      expect(stored.feedId).toBeTruthy();
      if (env.FEED_VERSION === 'datahose') expect(stored.ackId).toBeTruthy();
      await ingester.stop();
    },
  );
});
