import { randomBytes } from 'node:crypto';
import { createIngesterMetrics, processBatch } from '@baton/ingester/internals';
import {
  bullmqPrefix,
  createDeadLetters,
  createLogger,
  createMailbox,
  jsonSha256,
  parseEntry,
  queueNames,
} from '@baton/shared';
import { rawMessageSent } from '@baton/shared/events';
import { uniquePrefix } from '@baton/shared/testing';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { deeplyNestedText, ODD_UNICODE } from './hostile-events.ts';

/** A batch item: a valid message of stream `s` numbered `n`, or anything else. */
type Item = { kind: 'valid'; stream: number; n: number } | { kind: 'hostile'; raw: unknown };

export const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...ODD_UNICODE),
);

/** Bounds of `hostileValues`: how deep its nested values go, and how often a huge one is drawn. */
export interface HostileValueOptions {
  /** Deepest nesting drawn (default 12,000: beyond what JSON.stringify can write). */
  maxDepth?: number;
  /** Weight of each huge value (1M items, 8 Mi characters, 460k keys) against 14 for the cheap ones (default 1). */
  hugeWeight?: number;
}

/**
 * Values beyond the event model's bounds (64 levels, 8 Mi characters), cheap ones more often than huge ones:
 * arbitrary JSON, odd strings (lone surrogates…), deep nesting, huge arrays, strings and objects.
 */
export function hostileValues(opts: HostileValueOptions = {}): fc.Arbitrary<unknown> {
  const huge = opts.hugeWeight ?? 1;
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [
    { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 5 }) },
    { weight: 4, arbitrary: oddString },
    {
      weight: 3,
      arbitrary: fc
        .integer({ min: 60, max: opts.maxDepth ?? 12_000 })
        .map((d) => JSON.parse(deeplyNestedText(d)) as unknown),
    },
  ];
  if (huge > 0) {
    arbitraries.push(
      {
        weight: huge,
        arbitrary: fc.integer({ min: 1_000_000, max: 1_200_000 }).map((n) => new Array(n).fill(0)),
      },
      {
        weight: huge,
        arbitrary: fc.integer({ min: 0, max: 512 }).map((k) => 'x'.repeat(8 * 1024 * 1024 + k * 1024)),
      },
      {
        weight: huge,
        arbitrary: fc
          .integer({ min: 460_000, max: 500_000 })
          .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
      },
    );
  }
  return fc.oneof(...arbitraries);
}

const hostileValue = hostileValues();

/**
 * The ingester's batch step (`processBatch`) against real Redis, on generated batches of valid messages in a few
 * streams mixed with hostile values (arbitrary JSON, mutated valid events, values too deep or too big, odd
 * unicode). The invariant: nothing throws out of the step; every event is either stored once or dead-lettered
 * with a reason; each stream's valid events are stored in order.
 */
export async function fuzzIngestBatch(redis: Redis, numRuns: number): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  const streams = Array.from({ length: 3 }, () => randomBytes(25).toString('base64url'));
  const item: fc.Arbitrary<Item> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.integer({ min: 0, max: 2 }).map((stream) => ({ kind: 'valid', stream, n: 0 }) as Item),
    },
    { weight: 1, arbitrary: hostileValue.map((raw) => ({ kind: 'hostile', raw }) as Item) },
    {
      weight: 1,
      // A valid message with one field replaced: the model decides.
      arbitrary: fc
        .tuple(
          fc.constantFrom('message', 'timestamp', 'user', 'stream', 'data', 'initiator', 'extra'),
          hostileValue,
        )
        .map(([field, v]) => {
          const raw = rawMessageSent({ streamId: streams[0] as string, text: 'mutated' });
          const message = (raw.payload as { messageSent: { message: Record<string, unknown> } }).messageSent
            .message;
          if (field === 'initiator' || field === 'extra') raw[field] = v;
          else message[field] = v;
          return { kind: 'hostile', raw } as Item;
        }),
    },
  );

  await fc.assert(
    fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 12 }), async (items) => {
      const prefix = uniquePrefix('fuzz');
      const names = queueNames(prefix);
      const queueOpts = { connection: redis, prefix: bullmqPrefix(prefix) };
      const drainQueue = new Queue(names.drain, queueOpts);
      const dlqQueue = new Queue(names.dlq, queueOpts);
      const dlq = createDeadLetters({ connection: redis, prefix });
      try {
        const mailbox = createMailbox(redis, { prefix });
        const metrics = createIngesterMetrics({
          backlog: () => mailbox.backlog(),
          lastReadAgeMs: () => null,
        });
        const counters = [0, 0, 0];
        const raws = items.map((it) => {
          if (it.kind === 'hostile') return it.raw;
          const n = counters[it.stream] ?? 0;
          counters[it.stream] = n + 1;
          return rawMessageSent({ streamId: streams[it.stream] as string, text: `s${it.stream}-n${n}` });
        });
        const result = await processBatch(
          raws,
          {
            dedupTtlSec: 600,
            ingestOwnMessages: true,
            botUserId: undefined,
            leaderToken: '1',
            receivedAt: 1,
          },
          { mailbox, drainQueue, dlqQueue, metrics, logger },
        );
        const letters = await dlq.list({ limit: 1_000 });
        const stored = new Map<string, string[]>();
        for (const s of streams) {
          const entries = await redis.lrange(mailbox.keysFor(s)[0] as string, 0, -1);
          stored.set(
            s,
            entries.map((e) => jsonSha256(parseEntry(s, e).event).sha256),
          );
        }
        const storedShas = [...stored.values()].flat();
        // Every event: stored once, or dead-lettered with a reason (never both, never neither).
        for (const raw of raws) {
          const sha = jsonSha256(raw).sha256;
          const copies = storedShas.filter((x) => x === sha).length;
          const letter = letters.find((l) => l.data.v === 2 && l.data.rawSha256 === sha);
          expect(copies + (letter ? 1 : 0), `one outcome for the event of sha256 ${sha}`).toBe(1);
          if (letter) expect(letter.data.reason.length).toBeGreaterThan(3);
        }
        expect(result.added + result.invalid).toBe(raws.length);
        // Each stream's valid messages, in batch order.
        for (const [i, s] of streams.entries()) {
          const expected = raws
            .filter((_r, j) => items[j]?.kind === 'valid' && (items[j] as { stream: number }).stream === i)
            .map((r) => jsonSha256(r).sha256);
          expect((stored.get(s) ?? []).filter((x) => expected.includes(x))).toEqual(expected);
        }
      } finally {
        await Promise.all([drainQueue.close(), dlqQueue.close(), dlq.close()]);
      }
    }),
    { numRuns },
  );
}
