import { randomBytes } from 'node:crypto';
import { type BatchDeps, createIngesterMetrics, processBatch } from '@baton/ingester/internals';
import {
  bullmqPrefix,
  createDeadLetters,
  createLogger,
  createMailbox,
  type DeadLetters,
  jsonSha256,
  type Mailbox,
  parseEntry,
  queueNames,
} from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ODD_UNICODE, poisonEventTexts } from './support/hostile-events.ts';

// The ingester's batch step against real Redis, fed the poison corpus: each poison event is dead-lettered with
// a reason, the valid events around it are stored once, in order, and nothing throws out of the step.
let server: TestRedis;
let redis: Redis;
const open: { close(): Promise<void> }[] = [];
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  for (const o of open) await o.close();
  redis?.disconnect();
  await server?.close();
});

const streamId = () => randomBytes(25).toString('base64url');

function setup(prefix: string, wrap: (m: Mailbox) => Mailbox = (m) => m) {
  const names = queueNames(prefix);
  const queueOpts = { connection: redis, prefix: bullmqPrefix(prefix) };
  const drainQueue = new Queue(names.drain, queueOpts);
  const dlqQueue = new Queue(names.dlq, queueOpts);
  const dlq: DeadLetters = createDeadLetters({ connection: redis, prefix });
  open.push(drainQueue, dlqQueue, dlq);
  const mailbox = wrap(createMailbox(redis, { prefix }));
  const metrics = createIngesterMetrics({ backlog: () => mailbox.backlog(), lastReadAgeMs: () => null });
  const deps: BatchDeps = { mailbox, drainQueue, dlqQueue, metrics, logger };
  const run = (events: unknown[]) =>
    processBatch(
      events,
      { dedupTtlSec: 600, ingestOwnMessages: false, botUserId: 1, leaderToken: '1', receivedAt: Date.now() },
      deps,
    );
  const stored = async (s: string) => {
    const raw = await redis.lrange(mailbox.keysFor(s)[0] as string, 0, -1);
    return raw.map((r) => parseEntry(s, r));
  };
  return { run, dlq, stored };
}

const message = (s: string, text: string) =>
  rawMessageSent({ streamId: s, text, from: { userId: 2, username: 'u2', displayName: 'U2' } });

describe('processBatch with poison events', () => {
  it('dead-letters each poison event with its reason and stores the valid ones around it, in order, once', async () => {
    const s = streamId();
    const { run, dlq, stored } = setup(uniquePrefix('poison'));
    const poison = poisonEventTexts(message(s, 'template')).map((p) => ({
      name: p.name,
      raw: JSON.parse(p.text) as unknown,
    }));
    const batch: unknown[] = [message(s, 'v0')];
    for (const [i, p] of poison.entries()) batch.push(p.raw, message(s, `v${i + 1}`));

    const first = await run(batch);
    expect(first).toMatchObject({ added: poison.length + 1, invalid: poison.length, fenced: false });
    const texts = (await stored(s)).map((e) => JSON.stringify(e.event).match(/<p>(v\d+)<\/p>/)?.[1]);
    expect(texts).toEqual(Array.from({ length: poison.length + 1 }, (_, i) => `v${i}`));

    const letters = await dlq.list({ limit: 100 });
    expect(letters).toHaveLength(poison.length);
    for (const p of poison) {
      const sha = jsonSha256(p.raw).sha256;
      const letter = letters.find((l) => l.data.v === 2 && l.data.rawSha256 === sha);
      expect(letter, p.name).toBeDefined();
      if (letter?.data.v !== 2) continue;
      expect(letter.data.stage, p.name).toBe('ingest');
      expect(letter.data.reason, p.name).toMatch(/nested deeper than 64 levels|larger than \d+ characters/);
      expect(letter.data.rawTruncated, p.name).toBe(true);
      // The stored excerpt is small and serialisable, whatever the event was.
      expect(JSON.stringify(letter.data.raw).length, p.name).toBeLessThan(100 * 1024);
    }

    // The same batch again (a retry, a redelivery): nothing is stored or dead-lettered twice.
    const again = await run(batch);
    expect(again).toMatchObject({ added: 0, duplicates: poison.length + 1 });
    expect(await stored(s)).toHaveLength(poison.length + 1);
    expect(await dlq.count()).toBe(poison.length);
  }, 60_000);

  it('stores valid events carrying lone surrogates, odd unicode and __proto__ keys exactly as received', async () => {
    const s = streamId();
    const { run, stored } = setup(uniquePrefix('unicode'));
    const odd = ODD_UNICODE.map((u, i) => ({
      ...message(s, `u${i}`),
      note: u,
      ...JSON.parse(`{"__proto__": {"polluted": ${JSON.stringify(u)}}}`),
    }));
    expect(await run(odd)).toMatchObject({ added: odd.length, invalid: 0 });
    const events = (await stored(s)).map((e) => e.event as Record<string, unknown>);
    expect(events.map((e) => e.note)).toEqual(ODD_UNICODE);
    expect(Object.hasOwn(events[0] as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when the mailbox cannot store one event, dead-letters that one and stores the rest in order', async () => {
    const s = streamId();
    // A mailbox whose write fails on one event's content, as a serialiser would on a poison value.
    const failing = (m: Mailbox): Mailbox => ({
      ...m,
      enqueue: async (items, opts) => {
        if (items.some((i) => JSON.stringify(i.event).includes('unstorable-marker'))) {
          throw new RangeError('Maximum call stack size exceeded');
        }
        return m.enqueue(items, opts);
      },
    });
    const { run, dlq, stored } = setup(uniquePrefix('isolate'), failing);
    const result = await run([message(s, 'a0'), message(s, 'unstorable-marker'), message(s, 'a1')]);
    expect(result).toMatchObject({ added: 2, invalid: 1, fenced: false });
    const texts = (await stored(s)).map((e) => JSON.stringify(e.event).match(/<p>(a\d)<\/p>/)?.[1]);
    expect(texts).toEqual(['a0', 'a1']);
    const [letter] = await dlq.list();
    expect(letter?.data.reason).toMatch(
      /^mailbox: the event cannot be stored \(RangeError: Maximum call stack/,
    );
    expect(letter?.data.streamId).toBe(s);
    expect(JSON.stringify(letter?.data.raw)).toContain('unstorable-marker');
  });

  it('lets a Redis error through (the caller retries the batch), storing nothing twice on the retry', async () => {
    const s = streamId();
    let down = true;
    const flaky = (m: Mailbox): Mailbox => ({
      ...m,
      enqueue: async (items, opts) => {
        if (down)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
        return m.enqueue(items, opts);
      },
    });
    const { run, dlq, stored } = setup(uniquePrefix('redisdown'), flaky);
    const batch = [message(s, 'r0'), { not: 'an event' }, message(s, 'r1')];
    await expect(run(batch)).rejects.toThrow(/ECONNREFUSED/);
    down = false;
    expect(await run(batch)).toMatchObject({ added: 2, invalid: 1 });
    expect(await stored(s)).toHaveLength(2);
    expect(await dlq.count()).toBe(1);
  });
});
