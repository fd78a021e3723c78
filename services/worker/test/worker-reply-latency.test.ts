import { createBot, type RuntimeBot, type RuntimeServices } from '@baton/bot';
import {
  type BatonEvent,
  createLogger,
  parseWorkerHeartbeat,
  REPLY_LATENCY_BOUNDS_MS,
  workerKeys,
} from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { createReplyLatency } from '../src/runtime/reply-latency.ts';
import { workerTest } from './support/worker-test.ts';

// The heartbeat carries the bot's version and reply-latency buckets (ingester receipt → handler success), which
// the dashboard turns into p50/p99.

const logger = createLogger({ level: 'silent' });
const client = createFakeSymphonyClient();
/** A stream id in Symphony's form (URL-safe base64 of 25 bytes). */
const STREAM = Buffer.alloc(25, 7).toString('base64url');

workerTest.beforeAll(async ({ rig }) => {
  const bot = createBot({ id: 'desk-bot', version: '3.1.0' }).command('/echo {text:text}', {
    description: 'echo',
    handler: async (ctx) => {
      if (ctx.args.text === 'fail') throw new Error('no');
      await ctx.reply(ctx.args.text);
    },
  });
  await rig.start(
    {
      WORKER_ID: 'w1',
      HEARTBEAT_INTERVAL_MS: '200',
      HANDLER_ATTEMPTS: '1',
      SEND_RATE_PER_STREAM: '1000',
      SEND_BURST_PER_STREAM: '1000',
    },
    { bot, client, logger, botUser: { userId: 1, username: 'bot' } },
  );
});

describe('reply latency and bot version in the heartbeat', () => {
  workerTest(
    'counts each handled event once, in the bucket of its age since the ingester received it',
    async ({ redis, rig }) => {
      const beat = async () => parseWorkerHeartbeat(await redis.get(workerKeys(rig.prefix).heartbeat('w1')));
      const first = await beat();
      expect(first?.bot.version).toBe('3.1.0');
      expect(first?.latency?.boundsMs).toEqual(REPLY_LATENCY_BOUNDS_MS);
      expect(first?.latency?.counts.every((c) => c === 0)).toBe(true);

      // Received 45 s ago: > 30 s, ≤ 60 s. One handler failure (not counted: it never replied).
      const now = Date.now();
      const texts = ['a', 'b', 'fail'];
      await rig.push(
        texts.map((t, i) => ({
          key: `lat-${i}`,
          streamId: STREAM,
          event: rawMessageSent({ streamId: STREAM, streamType: 'IM', text: `/echo ${t}` }),
          receivedAt: now - 45_000,
        })),
      );
      const i60 = REPLY_LATENCY_BOUNDS_MS.indexOf(60_000);
      let last: unknown;
      const counted = await waitFor(
        'two latencies in the heartbeat',
        async () => {
          const b = await beat();
          last = b;
          return b?.latency && b.stats['handled'] === 3 && b.latency.counts[i60] === 2
            ? b.latency
            : undefined;
        },
        20_000,
        () =>
          `last beat: ${JSON.stringify(last)}; replies: ${JSON.stringify(client.sent.map((m) => m.message))}`,
      );
      expect(counted.counts.reduce((a, c) => a + c, 0)).toBe(2);
    },
  );
});

describe('createReplyLatency', () => {
  it('buckets by upper bound, with an overflow bucket', () => {
    const l = createReplyLatency([10, 100]);
    for (const ms of [0, 10, 11, 100, 101, 5_000]) l.record(ms);
    expect(l.snapshot()).toEqual({ boundsMs: [10, 100], counts: [2, 2, 2] });
  });

  it('times a bot: only successful attempts of events with receivedAt, within the timeout', async () => {
    let t = 1_000;
    const l = createReplyLatency([10, 100, 1_000]);
    const bot: RuntimeBot = {
      async handle(event) {
        if (event.id === 'boom') throw new Error('boom');
        t += event.id === 'slow' ? 500 : 5;
      },
      async handleTask() {},
      failureReply: () => 'sorry',
    };
    const timed = l.timed(bot, { timeoutMs: 100, clock: () => t });
    const event = (id: string) => ({ id }) as BatonEvent;
    const services = {} as RuntimeServices;
    await timed.handle(event('ok'), services, { eventKey: 'k', attempt: 1, receivedAt: 950 });
    await timed.handle(event('ok'), services, { eventKey: 'k', attempt: 1 });
    await timed.handle(event('slow'), services, { eventKey: 'k', attempt: 1, receivedAt: 0 });
    await expect(
      timed.handle(event('boom'), services, { eventKey: 'k', attempt: 1, receivedAt: 0 }),
    ).rejects.toThrow('boom');
    // Only the first: 1005 − 950 = 55 ms.
    expect(l.snapshot().counts).toEqual([0, 1, 0, 0]);
    expect(timed.failureReply(event('x'), { userId: 1, username: 'bot' })).toBe('sorry');
  });
});
