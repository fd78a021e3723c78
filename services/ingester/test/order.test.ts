import { bullmqPrefix, queueNames } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import {
  ingesterConfig,
  numbersPerStream,
  quietLogger,
  range,
  type SimFixture,
  sendBurst,
  startSimFixture,
  waitReading,
} from './support/sim-fixture.ts';

let redisServer: TestRedis;
let redis: Redis;
let fx: SimFixture;
let ingester: Ingester | undefined;
let queue: Queue | undefined;

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  fx = await startSimFixture(40);
});

afterAll(async () => {
  await ingester?.stop();
  await queue?.close();
  redis?.disconnect();
  await fx?.sim.close();
  await redisServer?.close();
});

describe('ingester: order per stream', () => {
  it('moves a burst over many streams into per-stream mailboxes in feed order, each once, with drains', async () => {
    const prefix = uniquePrefix('ord');
    ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix), { logger: quietLogger() });
    await ingester.start();
    await waitReading(ingester);

    const perStream = 40;
    const sent = sendBurst(fx, perStream); // 1,600 events, interleaved
    await expect
      .poll(async () => (await ingester?.mailbox.backlog())?.pending, { timeout: 30_000, interval: 200 })
      .toBe(sent);

    const numbers = await numbersPerStream(redis, prefix, fx.streamIds);
    for (const ns of numbers) expect(ns).toEqual(range(0, perStream));

    // One drain job per stream, deduplicated (no worker is running).
    queue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
    expect(await queue.getWaitingCount()).toBe(fx.streamIds.length);

    // The feed was acknowledged: the stored ackId moved and nothing is left unread or unacked.
    const stored = await ingester.feedState.load();
    expect(stored.version).toBe('v2');
    expect(stored.ackId).toBeTruthy();
    await expect.poll(() => fx.sim.control.stats().feeds.find((f) => f.id === stored.feedId)?.unread).toBe(0);

    // The bot's own messages are not enqueued.
    const before = (await ingester.mailbox.backlog()).pending;
    fx.sim.control.sendMessage(fx.streamIds[0] as string, { fromUserId: fx.botUserId, text: 'from the bot' });
    fx.sim.control.sendMessage(fx.streamIds[0] as string, {
      fromUserId: fx.userIds[0] as number,
      text: 'm-0-40',
    });
    await expect
      .poll(async () => (await ingester?.mailbox.backlog())?.pending, { timeout: 10_000 })
      .toBe(before + 1);
    const metrics = await ingester.metrics.registry.metrics();
    expect(metrics).toMatch(/baton_ingester_event_outcomes_total\{outcome="own_message_dropped".*\} 1/);
    expect(metrics).toMatch(/baton_backlog_pending_events\{.*\} 1601/);
  });
});
