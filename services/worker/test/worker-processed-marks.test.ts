import { createLogger, MailboxKeys, scheduleDrain, workerKeys } from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { testStreamId, waitFor } from '@baton/testing';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createScriptedBot } from './support/scripted-bot.ts';
import type { WorkerRig } from './support/worker-rig.ts';
import { workerTest } from './support/worker-test.ts';

/**
 * The processed marks moved into the mailbox's slot (set by the ack script); the marks a worker of the previous
 * version wrote (`<prefix>:done:<key>`, and its replies' marks) must still be honoured after an upgrade.
 */
const logger = createLogger({ level: 'silent' });
const prefix = uniquePrefix('pmw');
const bot = createScriptedBot();
const client = createFakeSymphonyClient();

workerTest.override('rigPrefix', prefix);
workerTest.beforeAll(async ({ rig }) => {
  await rig.start(
    {
      WORKER_ID: 'pm-1',
      SEND_RATE_PER_STREAM: '1000',
      SEND_BURST_PER_STREAM: '1000',
      IDEMPOTENCY_TTL_SEC: '900',
    },
    { bot, client, logger },
  );
});

/** Enqueues `texts` to `streamId` as the ingester does (keys `<streamId>:<text>`); returns their keys. */
async function push(rig: WorkerRig, streamId: string, texts: string[]): Promise<string[]> {
  const keys = texts.map((t) => `${streamId}:${t}`);
  await rig.push(
    texts.map((text, i) => ({
      key: keys[i] as string,
      streamId,
      event: rawMessageSent({ streamId, text }),
    })),
  );
  return keys;
}

const repliesIn = (streamId: string) =>
  client.sent.filter((m) => m.streamId === streamId).map((m) => m.message);
const handledTexts = (streamId: string) =>
  bot.handled.filter((h) => h.streamId === streamId).map((h) => h.text);
const newMark = (streamId: string, key: string) => {
  const keys = new MailboxKeys(prefix, 16);
  return keys.processed(keys.partitionOf(streamId), key);
};

/** What an older worker's claim leaves: its token in the stream's `active` field, no record of hand-outs. */
async function oldWorkerClaims(redis: Redis, streamId: string): Promise<void> {
  const keys = new MailboxKeys(prefix, 16);
  const p = keys.partitionOf(streamId);
  await redis.hset(keys.active(p), streamId, String(await redis.incr(keys.claims(p))));
}

describe('processed marks across an upgrade', () => {
  workerTest(
    'the ack writes the mark in the mailbox slot, with the TTL; the old key is left alone',
    async ({ redis, rig }) => {
      const s = testStreamId('pm-new');
      const [k0, k1] = await push(rig, s, ['one', 'two']);
      await waitFor('both replies', () => repliesIn(s).length === 2, 10_000);
      await waitFor('both marks', async () => (await redis.exists(newMark(s, k1 as string))) === 1, 5_000);
      expect(await redis.get(newMark(s, k0 as string))).toBe('handled');
      const ttl = await redis.ttl(newMark(s, k1 as string));
      expect(ttl).toBeGreaterThan(800);
      expect(ttl).toBeLessThanOrEqual(900);
      expect(await redis.exists(workerKeys(prefix).processed(k0 as string))).toBe(0);
    },
  );

  workerTest(
    'an event an old worker marked processed (old key) but did not ack is acked without running handlers',
    async ({ redis, rig }) => {
      const s = testStreamId('pm-legacy');
      const keys = [`${s}:old-handled`, `${s}:after`];
      // The old worker claimed the stream, set its mark and died before its ack: the entry is still the head.
      await oldWorkerClaims(redis, s);
      await redis.set(workerKeys(prefix).processed(keys[0] as string), 'handled', 'EX', 600);
      await rig.mailbox.enqueue(
        [
          {
            key: keys[0] as string,
            streamId: s,
            event: rawMessageSent({ streamId: s, text: 'old-handled' }),
          },
          { key: keys[1] as string, streamId: s, event: rawMessageSent({ streamId: s, text: 'after' }) },
        ],
        { dedupTtlSec: 600 },
      );
      await scheduleDrain(rig.drainQueue, s);
      await waitFor('the next event answered', () => repliesIn(s).length === 1, 10_000);
      expect(repliesIn(s)).toEqual(['<messageML>echo after</messageML>']);
      expect(handledTexts(s)).toEqual(['after']);
      expect(await rig.mailbox.length(s)).toBe(0);
    },
  );

  workerTest(
    'a reply an old worker posted and marked done (no processed mark yet) is not posted again',
    async ({ redis, rig }) => {
      const s = testStreamId('pm-reply');
      const key = `${s}:posted-by-old`;
      // The old worker posted reply 0 and marked it done, then died before its processed mark and its ack.
      await oldWorkerClaims(redis, s);
      await redis.set(
        workerKeys(prefix).reply(key, 0),
        JSON.stringify({ state: 'done', at: Date.now(), messageId: 'm-old' }),
        'EX',
        600,
      );
      await rig.mailbox.enqueue(
        [{ key, streamId: s, event: rawMessageSent({ streamId: s, text: 'posted-by-old' }) }],
        { dedupTtlSec: 600 },
      );
      await scheduleDrain(rig.drainQueue, s);
      await waitFor('handled', () => handledTexts(s).length === 1, 10_000);
      await waitFor('acked', async () => (await rig.mailbox.length(s)) === 0, 5_000);
      expect(repliesIn(s)).toEqual([]);
      expect(await redis.get(newMark(s, key))).toBe('handled');
    },
  );
});
