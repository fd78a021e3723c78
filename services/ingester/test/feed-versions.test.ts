import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { ingesterTest } from './support/ingester-test.ts';
import { numbersPerStream, range, sendBurst } from './support/sim-fixture.ts';

ingesterTest.override('simStreams', 8);

const versions: Record<string, string>[] = [
  { FEED_VERSION: 'v1' },
  { FEED_VERSION: 'datahose', DATAHOSE_EVENT_TYPES: 'MESSAGESENT' },
];

describe.each(versions)('feed version $FEED_VERSION', (env) => {
  ingesterTest(
    'reads, keeps per-stream order and stores the feed state',
    async ({ redis, fx, prefix, readingIngester }) => {
      const ingester = await readingIngester(env);
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
    },
  );
});
