import {
  bullmqPrefix,
  createDeadLetters,
  createMailbox,
  type DeadLetters,
  ingestKeys,
  queueNames,
  ServerError,
} from '@baton/shared';
import {
  createFakeSymphonyClient,
  startTestRedis,
  type TestRedis,
  uniquePrefix,
} from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngester, type Ingester } from '../src/create-ingester.ts';
import { createFeedSource } from '../src/feed-source.ts';
import { createFeedState } from '../src/feed-state.ts';
import { createIngesterMetrics } from '../src/ingester-metrics.ts';
import { isUnstorableInput } from '../src/is-unstorable-input.ts';
import { createLeaderLease } from '../src/leader-lease.ts';
import { createReadLoop } from '../src/read-loop.ts';
import { retryForever } from '../src/retry-forever.ts';
import { UnstorableBatchError } from '../src/unstorable-batch-error.ts';
import { messageSent } from './support/message-sent.ts';
import {
  ingesterConfig,
  numbersPerStream,
  quietLogger,
  type SimFixture,
  startSimFixture,
  waitReading,
} from './support/sim-fixture.ts';

// A poison batch must never stall the leader: what cannot be stored is dead-lettered, and reading goes on.
let server: TestRedis;
let redis: Redis;
let fx: SimFixture;
const closers: (() => Promise<unknown>)[] = [];
const logger = quietLogger();

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  fx = await startSimFixture(1, { redeliveryMs: 1_500 });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  redis?.disconnect();
  await fx?.sim.close();
  await server?.close();
});

function dlqOf(prefix: string): DeadLetters {
  const dlq = createDeadLetters({ connection: redis, prefix });
  closers.push(() => dlq.close());
  return dlq;
}

const metricsStub = () =>
  createIngesterMetrics({ backlog: async () => ({}) as never, lastReadAgeMs: () => null });

describe('isUnstorableInput / retryForever', () => {
  it('tells the input failing from Redis failing', () => {
    expect(isUnstorableInput(new RangeError('Maximum call stack size exceeded'))).toBe(true);
    expect(isUnstorableInput(new RangeError('Invalid string length'))).toBe(true);
    expect(isUnstorableInput(new TypeError('Do not know how to serialize a BigInt'))).toBe(true);
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    expect(isUnstorableInput(reply('ERR string exceeds maximum allowed size (proto-max-bulk-len)'))).toBe(
      true,
    );
    for (const transient of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      new Error('Connection is closed.'),
      reply('LOADING Redis is loading the dataset in memory'),
      reply('READONLY You can not write against a read only replica.'),
      reply("OOM command not allowed when used memory > 'maxmemory'."),
      new ServerError('boom', { status: 503 }),
      'a string',
    ]) {
      expect(isUnstorableInput(transient), String(transient)).toBe(false);
    }
  });

  it('gives up at once on an unstorable input, and retries Redis errors until they pass', async () => {
    const opts = { signal: new AbortController().signal, logger, metrics: metricsStub(), maxDelayMs: 5 };
    let calls = 0;
    const poison = retryForever(
      async () => {
        calls += 1;
        throw new RangeError('Maximum call stack size exceeded');
      },
      { ...opts, label: 'enqueue', unstorable: isUnstorableInput },
    );
    await expect(poison).rejects.toBeInstanceOf(UnstorableBatchError);
    await expect(poison).rejects.toMatchObject({ code: 'INGEST_UNSTORABLE_BATCH', stage: 'enqueue' });
    expect(calls).toBe(1);

    let failures = 3;
    const flaky = await retryForever(
      async () => {
        if (failures-- > 0) throw new Error('Connection is closed.');
        return 'stored';
      },
      { ...opts, label: 'enqueue', unstorable: isUnstorableInput },
    );
    expect(flaky).toBe('stored');
  });
});

describe('the read loop and a poison batch', () => {
  it('dead-letters an event nested 10,000 levels deep injected into the feed, and keeps reading and storing', async () => {
    const prefix = uniquePrefix('poison-sim');
    const ingester: Ingester = createIngester(ingesterConfig(fx, server.url, prefix), { logger, redis });
    closers.push(() => ingester.stop());
    await ingester.start();
    await waitReading(ingester);
    const streamId = fx.streamIds[0] as string;
    const from = fx.userIds[0] as number;
    const say = (n: number) => fx.sim.control.sendMessage(streamId, { fromUserId: from, text: `m-0-${n}` });
    const stored = async () => (await numbersPerStream(redis, prefix, [streamId]))[0]?.length;

    say(0);
    // Through the control API as raw text: the poison reaches the agent the way any client would post it.
    const deep = `${'{"n":'.repeat(10_000)}{"bottom":true}${'}'.repeat(10_000)}`;
    const res = await fetch(`${fx.sim.url}/_sim/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"userId":${fx.botUserId},"event":{"type":"MESSAGESENT","id":"deep1","payload":${deep}}}`,
    });
    expect(res.status).toBe(204);
    say(1);
    say(2);

    await waitFor('the valid messages stored', async () => (await stored()) === 3, 15_000);
    expect(await numbersPerStream(redis, prefix, [streamId])).toEqual([[0, 1, 2]]);
    const dlq = dlqOf(prefix);
    const [letter] = await dlq.list();
    expect(letter?.data).toMatchObject({ v: 2, stage: 'ingest', rawTruncated: true });
    expect(letter?.data.reason).toMatch(/nested deeper than 64 levels/);
    // The feed goes on: acknowledged (never redelivered), and a later message is stored too.
    say(3);
    await waitFor('the later message stored', async () => (await stored()) === 4, 15_000);
    const feed = fx.sim.control.stats().feeds.find((f) => !f.expired && f.version === 'v2');
    expect(feed?.redelivered).toBe(0);
    expect(await dlq.count()).toBe(1);
  });

  it('when even the dead letter cannot be written, stores the batch with digests and reads on', async () => {
    const prefix = uniquePrefix('poison-dlq');
    const names = queueNames(prefix);
    const queueOpts = { connection: redis, prefix: bullmqPrefix(prefix) };
    const drainQueue = new Queue(names.drain, queueOpts);
    const realDlq = new Queue(names.dlq, queueOpts);
    closers.push(
      () => drainQueue.close(),
      () => realDlq.close(),
    );
    // A DLQ whose write fails on one raw event's content, as a serialiser without bounds would.
    const dlqQueue = new Proxy(realDlq, {
      get(target, prop, receiver) {
        if (prop === 'addBulk') {
          return async (jobs: { data: unknown }[]) => {
            if (JSON.stringify(jobs).includes('poison-writer')) throw new RangeError('Invalid string length');
            return target.addBulk(jobs as Parameters<Queue['addBulk']>[0]);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const mailbox = createMailbox(redis, { prefix });
    const metrics = createIngesterMetrics({ backlog: () => mailbox.backlog(), lastReadAgeMs: () => null });
    const fake = createFakeSymphonyClient();
    const state = createFeedState(redis, prefix);
    const lease = createLeaderLease(
      { prefix, instanceId: 'poison', leaseMs: 1_500 },
      { redis, logger, onAcquired: (token) => mailbox.fence(token) },
    );
    const source = createFeedSource(
      { version: 'v2', datahoseTag: 'unused', datahoseEventTypes: [], readTimeoutMs: 400 },
      { client: fake, state, logger },
    );
    const loop = createReadLoop(
      { dedupTtlSec: 600, ingestOwnMessages: true, maxBackoffMs: 50, v1ReadAhead: 0 },
      {
        client: fake,
        source,
        state,
        lease,
        mailbox,
        drainQueue,
        dlqQueue,
        metrics,
        logger,
        now: Date.now,
      },
    );
    const stop = new AbortController();
    const hard = new AbortController();
    lease.start();
    const running = loop.run(stop.signal, hard.signal);
    closers.push(async () => {
      stop.abort();
      hard.abort();
      await running;
      await lease.stop();
    });

    const s = 'fWc2eJ8JQ1bS2mW3yv0p9X___pFXhN9OdA';
    fake.events([messageSent(s, 0), { type: 'BROKEN', note: 'poison-writer' }, messageSent(s, 1)]);
    fake.events([messageSent(s, 2)]);
    await waitFor('every valid event stored', async () => (await mailbox.length(s)) === 3, 15_000);
    await waitFor(
      'the ackId of the second batch stored',
      async () => {
        return (await redis.hget(ingestKeys(prefix).feed, 'ackId')) === 'ack2';
      },
      15_000,
    );
    const [letter] = await dlqOf(prefix).list();
    expect(letter?.data.reason).toMatch(
      /^type: unknown event type "BROKEN" \[raw not stored: enqueue: the input cannot be stored \(RangeError: Invalid string length\)\]$/,
    );
    expect(letter?.data.raw).toMatch(/^\[not stored\] sha256 [0-9a-f]{64}, \d+ characters$/);
    expect(await metrics.registry.getSingleMetricAsString('baton_ingester_event_outcomes_total')).toContain(
      'outcome="batch_digested"} 1',
    );
  });
});
