import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, workerKeys } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { createSendLimiter } from '../src/runtime/send-limiter.ts';
import { createScriptedBot } from './support/scripted-bot.ts';
import { workerTest } from './support/worker-test.ts';

// A reply waiting on the per-stream send limiter (a 429's Retry-After blocked the stream for a minute) when the
// worker is told to stop: stop() cuts the wait short instead of holding the shutdown for a minute, the event is
// handed back unacked (not an attempt, no dead letter), and the next worker answers it, once.
const logger = createLogger({ level: 'silent' });
const bot = createScriptedBot();
const client = createFakeSymphonyClient();

const env = (id: string) => ({
  WORKER_ID: id,
  SEND_RATE_PER_STREAM: '1000',
  SEND_BURST_PER_STREAM: '1000',
  HANDLER_TIMEOUT_MS: '120000', // only the shutdown may end the wait
  LOCK_DURATION_MS: '3000',
  STALLED_INTERVAL_MS: '1000',
});

describe('stop() while a send waits on the limiter', () => {
  workerTest(
    'returns without waiting the minute out; the event is answered after the restart, exactly once',
    async ({ redis, rig }) => {
      const s = testStreamId('stop-send-wait');
      const keys = workerKeys(rig.prefix);
      // Every replica shares the bucket: block the stream for a minute, as a 429 with Retry-After: 60 would.
      await createSendLimiter(redis, { ratePerSec: 1000, burst: 1000, keyOf: keys.sendBucket }).backOff(
        s,
        60_000,
      );
      const first = await rig.start(env('ssw1'), { bot, client, logger });
      await rig.push([{ key: 'ssw-e1', streamId: s, event: rawMessageSent({ streamId: s, text: 'hello' }) }]);
      await waitFor(
        'the reply waiting on the limiter',
        async () => ((await first.metrics.sendThrottled.get()).values[0]?.value ?? 0) > 0,
        20_000,
      );

      const stopping = Date.now();
      await first.stop();
      // Well before the minute the wait had left (the stop would otherwise sit in it).
      expect(Date.now() - stopping).toBeLessThan(30_000);
      expect(client.sent.filter((m) => m.streamId === s)).toEqual([]);
      const drains = (await first.metrics.drains.get()).values;
      expect(drains.find((v) => v.labels.outcome === 'stopping')?.value).toBe(1);
      const retries = (await first.metrics.retries.get()).values;
      expect(retries.reduce((n, v) => n + v.value, 0)).toBe(0); // not counted as a failed attempt

      // The block is over (as a Retry-After ends); a new worker takes the stream over.
      await redis.del(keys.sendBucket(s));
      const next = await rig.start(env('ssw2'), { bot, client, logger });
      await waitFor('the reply', () => client.sent.some((m) => m.streamId === s), 20_000);
      await sleep(1_000); // a doubled reply would show up now
      expect(client.sent.filter((m) => m.streamId === s).map((m) => m.message)).toEqual([
        '<messageML>echo hello</messageML>',
      ]);
      // Handled twice (the attempt the shutdown cut short, then the next worker's), replied once.
      expect(bot.handled.filter((h) => h.streamId === s).map((h) => h.attempt)).toEqual([1, 1]);
      expect(await next.deadLetters.count()).toBe(0);
    },
    60_000,
  );
});
