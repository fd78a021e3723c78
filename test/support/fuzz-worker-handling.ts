import { randomBytes } from 'node:crypto';
import type { HandleMeta, RuntimeBot } from '@baton/bot';
import { createBot } from '@baton/bot';
import {
  bullmqPrefix,
  createLogger,
  type DeadLetterEntry,
  parseEvent,
  queueNames,
  scheduleDrains,
} from '@baton/shared';
import { type RawUser, rawMessageSent } from '@baton/shared/events';
import { createFakeSymphonyClient, type FakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { type BatonWorker, createWorker, loadRuntimeConfig } from '@baton/worker';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { hostileValues, oddString } from './fuzz-ingest-batch.ts';
import { mentionCommand, ODD_UNICODE, toStandardBase64 } from './hostile-events.ts';

/** The bot's account as the fake Symphony client answers it (its session info). */
const BOT: RawUser = { userId: 1, username: 'baton-bot', displayName: 'Baton' };
const SENDER: RawUser = { userId: 7, username: 'test.user', displayName: 'Test User' };
const ATTEMPTS = 2;

const PML_OPEN = '<div data-format="PresentationML" data-version="2.0">';
const wrap = (inner: string) => `${PML_OPEN}${inner}</div>`;
const MENTION = `<span class="entity" data-entity-id="0">@${BOT.displayName}</span>`;
const mentionData = (value: unknown, type = 'com.symphony.user.mention') =>
  JSON.stringify({ '0': { id: [{ type: 'com.symphony.user.userId', value }], type } });

/**
 * Messages that pass the ingester's parse or just miss it, hostile for a handler: huge text, deep or broken
 * PresentationML, a DOCTYPE, control characters, lone surrogates, odd mentions and entities, odd ids and times.
 * Each is a function of the event's stream id (the mailbox it goes to).
 */
const hostileMessage: fc.Arbitrary<{ name: string; build: (streamId: string) => unknown }> = fc.oneof(
  fc.integer({ min: 20_000, max: 1_600_000 }).map((n) => ({
    name: `huge text (${n})`,
    build: (streamId: string) =>
      rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, `/echo ${'x'.repeat(n)}`) }),
  })),
  fc.integer({ min: 1, max: 320 }).map((d) => ({
    name: `PresentationML ${d} levels deep`,
    build: (streamId: string) =>
      rawMessageSent({
        streamId,
        from: SENDER,
        presentationML: wrap(`${'<div>'.repeat(d)}<p>${MENTION} /echo deep</p>${'</div>'.repeat(d)}`),
        data: mentionData('1'),
      }),
  })),
  fc
    .constantFrom(
      {
        name: 'a DOCTYPE with an entity',
        pml: wrap(`<!DOCTYPE x [<!ENTITY e "boom">]><p>${MENTION} /echo &e;</p>`),
        data: mentionData('1'),
      },
      {
        name: 'a stray </div>',
        pml: wrap(`<p>${MENTION} /echo a</p></div><p>escaped</p>`),
        data: mentionData('1'),
      },
      {
        name: 'a stray </messageML>',
        pml: wrap(`<p>${MENTION} /echo a</messageML></p>`),
        data: mentionData('1'),
      },
      {
        name: 'control characters',
        pml: wrap(`<p>${MENTION} /echo a\u0000b\u0007c\u001bd</p>`),
        data: mentionData('1'),
      },
      { name: 'an empty message', pml: '', data: '{}' },
      { name: 'a whitespace message', pml: '  \n ', data: '{}' },
      { name: 'a mention id as a number', pml: wrap(`<p>${MENTION} /echo n</p>`), data: mentionData(1) },
      { name: 'a mention id not a number', pml: wrap(`<p>${MENTION} /echo n</p>`), data: mentionData('abc') },
      { name: 'a negative mention id', pml: wrap(`<p>${MENTION} /echo n</p>`), data: mentionData(-1) },
      { name: 'a fractional mention id', pml: wrap(`<p>${MENTION} /echo n</p>`), data: mentionData(1.5) },
      { name: 'a mention of another user', pml: wrap(`<p>${MENTION} /echo n</p>`), data: mentionData('99') },
      {
        name: 'an unknown entity type',
        pml: wrap(`<p>${MENTION} /echo n</p>`),
        data: mentionData('1', 'org.example.odd'),
      },
      { name: 'an entity id with no entry', pml: wrap(`<p>${MENTION} /echo n</p>`), data: '{}' },
      { name: 'invalid EntityJSON', pml: wrap(`<p>${MENTION} /echo n</p>`), data: '{"0": {"id": [' },
      { name: 'EntityJSON not an object', pml: wrap(`<p>${MENTION} /echo n</p>`), data: '[1, "two", null]' },
      {
        name: 'a form in the markup',
        pml: wrap(`<form id="f"><button name="b">x</button></form>`),
        data: '{}',
      },
    )
    .map((c) => ({
      name: c.name,
      build: (streamId: string) =>
        rawMessageSent({ streamId, from: SENDER, presentationML: c.pml, data: c.data }),
    })),
  fc.constantFrom(...ODD_UNICODE, '\u202e rtl', '\u0000').map((u) => ({
    name: `odd unicode ${JSON.stringify(u)}`,
    build: (streamId: string) =>
      rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, `/echo a${u}b`) }),
  })),
  fc
    .constantFrom<[string, (e: Record<string, unknown>, streamId: string) => void]>(
      ['a negative timestamp', (e) => setMessage(e, 'timestamp', -1)],
      ['a fractional timestamp', (e) => setMessage(e, 'timestamp', 1.5)],
      ['a negative envelope timestamp', (e) => (e['timestamp'] = -5)],
      [
        'initiator not the sender',
        (e) => (e['initiator'] = { user: { userId: 8, username: 'other', displayName: 'Other' } }),
      ],
      ['a payload that is a JSON string', (e) => (e['payload'] = JSON.stringify(e['payload']))],
      ['a stream id in standard base64', (e, s) => setStream(e, toStandardBase64(s))],
      ['a stream id with padding', (e, s) => setStream(e, `${s}==`)],
      ['a stream id of mixed alphabets', (e, s) => setStream(e, `+${s.slice(1, -1)}_`)],
      ['a stream id of the wrong length', (e, s) => setStream(e, s.slice(0, 30))],
      ['an IM stream type', (e) => setStream(e, undefined, 'IM')],
    )
    .map(([name, mutate]) => ({
      name,
      build: (streamId: string) => {
        const e = rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, '/echo odd') });
        mutate(e, streamId);
        return e;
      },
    })),
);

function messageOf(e: Record<string, unknown>): Record<string, unknown> {
  return (e['payload'] as { messageSent: { message: Record<string, unknown> } }).messageSent.message;
}
function setMessage(e: Record<string, unknown>, field: string, v: unknown): void {
  messageOf(e)[field] = v;
}
function setStream(e: Record<string, unknown>, streamId: string | undefined, streamType?: string): void {
  const stream = messageOf(e)['stream'] as Record<string, unknown>;
  if (streamId !== undefined) stream['streamId'] = streamId;
  if (streamType !== undefined) stream['streamType'] = streamType;
}

/** One generated mailbox entry: what it is, which of the run's streams' mailbox it goes to. */
interface Recipe {
  kind: 'command' | 'hostile' | 'mutated' | 'arbitrary';
  stream: number;
  name: string;
  build: (streamId: string) => unknown;
}

export interface FuzzWorkerOptions {
  numRuns: number;
  /** Weight of the huge arbitrary values (8 Mi characters, a million items…): 0 leaves them out. */
  hugeWeight?: number;
}

/**
 * The worker's handling, on generated mailbox entries: valid `/echo` commands (odd unicode, lone surrogates
 * included), messages hostile for handlers (see `hostileMessage`), valid events with one field replaced, and
 * arbitrary values, enqueued through the real mailbox API into a few streams of real Redis and drained by a
 * real worker (`createWorker`: drain jobs, the mailbox scripts, validation, attempts, the dead-letter queue,
 * idempotent replies) running a small `@baton/bot` bot, with the fake Symphony client of `@baton/shared/testing` (it records
 * every post). The invariant,
 * per entry: the worker's parse refuses it and it is dead-lettered (stage `ingest`) with a reason, never
 * handed to the bot; or the bot handles it and it ends with at most one reply, or dead-lettered (stage
 * `handle`) with a reason; a valid command gets exactly one reply. Each stream's entries reach the bot in
 * mailbox order, a command after the hostile ones is still answered, no drain job fails, and nothing stalls
 * (each run waits a bounded time for its streams' last command).
 */
export async function fuzzWorkerHandling(
  redis: Redis,
  redisUrl: string,
  opts: FuzzWorkerOptions,
): Promise<void> {
  const prefix = uniquePrefix('fuzzw');
  const logger = createLogger({ level: 'silent' });
  const client: FakeSymphonyClient = createFakeSymphonyClient({
    bot: { id: BOT.userId, username: BOT.username },
  });
  /** Every handler attempt, in order: the event key and the attempt number. */
  const attempts: HandleMeta[] = [];
  const echo = createBot().command('/echo {text:text}', {
    description: 'Repeat what you said',
    handler: async (ctx) => {
      await ctx.reply(ctx.args.text);
    },
  });
  const bot: RuntimeBot = {
    handle: (event, services, meta) => {
      attempts.push(meta);
      return echo.handle(event, services, meta);
    },
    handleTask: (task, services) => echo.handleTask(task, services),
    failureReply: (event, botUser) => echo.failureReply(event, botUser),
  };
  const worker: BatonWorker = createWorker(
    loadRuntimeConfig({
      REDIS_URL: redisUrl,
      BATON_PREFIX: prefix,
      WORKER_ID: 'fuzz',
      WORKER_CONCURRENCY: '4',
      DRAIN_BATCH: '5',
      HANDLER_ATTEMPTS: String(ATTEMPTS),
      HANDLER_BACKOFF_MS: '20',
      HANDLER_BACKOFF_MAX_MS: '40',
      OPS_PORT: '-1',
      SEND_RATE_PER_STREAM: '100000',
      SEND_BURST_PER_STREAM: '100000',
      HEARTBEAT_INTERVAL_MS: '1000',
    }),
    { bot, client, logger },
  );
  const drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  await worker.start();

  const hostile = hostileValues({ maxDepth: 2_000, hugeWeight: opts.hugeWeight ?? 0 });
  const recipe = (stream: number): fc.Arbitrary<Recipe> =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: oddString.map((text) => ({
          kind: 'command' as const,
          stream,
          name: `/echo ${JSON.stringify(text)}`,
          build: (streamId: string) =>
            rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, `/echo c ${text}`) }),
        })),
      },
      { weight: 3, arbitrary: hostileMessage.map((h) => ({ kind: 'hostile' as const, stream, ...h })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom('message', 'data', 'timestamp', 'user', 'stream', 'initiator', 'extra'),
            hostile,
          )
          .map(([field, v]) => ({
            kind: 'mutated' as const,
            stream,
            name: `${field} replaced`,
            build: (streamId: string) => {
              const e = rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, '/echo mutated') });
              if (field === 'initiator' || field === 'extra') e[field] = v;
              else messageOf(e)[field] = v;
              return e;
            },
          })),
      },
      {
        weight: 1,
        arbitrary: hostile.map((v) => ({
          kind: 'arbitrary' as const,
          stream,
          name: 'arbitrary',
          build: () => v,
        })),
      },
    );
  const recipes = fc.array(
    fc.integer({ min: 0, max: 2 }).chain((s) => recipe(s)),
    { minLength: 1, maxLength: 10 },
  );

  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(recipes, async (items) => {
        try {
          run++;
          const streams = Array.from({ length: 3 }, () => randomBytes(25).toString('base64url'));
          const used = [...new Set(items.map((r) => r.stream))];
          // The run's entries, then a valid command closing each stream used: it must be answered after them.
          const entries = [
            ...items.map((r, i) => ({ r, key: `r${run}-e${i}` })),
            ...used.map((s) => ({
              r: {
                kind: 'command' as const,
                stream: s,
                name: 'closing /echo',
                build: (streamId: string) =>
                  rawMessageSent({ streamId, from: SENDER, ...mentionCommand(BOT, `/echo closing ${run}`) }),
              } satisfies Recipe,
              key: `r${run}-end${s}`,
            })),
          ].map(({ r, key }) => {
            const streamId = streams[r.stream] as string;
            return { ...r, key, streamId, raw: r.build(streamId) };
          });
          const res = await worker.mailbox.enqueue(
            entries.map((e) => ({ key: e.key, streamId: e.streamId, event: e.raw })),
            { dedupTtlSec: 600 },
          );
          expect(res.added).toBe(entries.length);
          await scheduleDrains(drainQueue, res.freshStreams);

          /** The bot's messages answering `key`: its replies, or (`failure`) the failure reply. */
          const repliesOf = (key: string, which: 'answers' | 'failure') =>
            client.sent.filter((m) => {
              const src = m.parsedData['batonSource'] as
                | { eventKey?: string; replyIndex?: unknown }
                | undefined;
              return src?.eventKey === key && (src.replyIndex === 'failure') === (which === 'failure');
            });
          const closing = entries.slice(items.length);
          // No stall: each stream's closing command is answered within a bound (a drain that died or hung on
          // an entry before it would leave it unanswered).
          await waitFor(
            'the closing command of every stream',
            () => closing.every((e) => repliesOf(e.key, 'answers').length > 0),
            30_000,
            () => `run ${run}: ${entries.map((e) => `${e.key} ${e.name}`).join('; ')}`,
          );
          // Nothing threw out of a drain: no drain job failed (failed ones are cleaned after each run).
          const failed = await drainQueue.getFailed(0, 20);
          expect(
            failed.map((j) => `${j.data.streamId}: ${j.failedReason}`),
            'drain jobs that failed',
          ).toEqual([]);

          const keys = new Set(entries.map((e) => e.key));
          const letters = new Map<string, DeadLetterEntry[]>();
          for (const l of await worker.deadLetters.list({ limit: 10_000 })) {
            const key = l.data.key;
            if (key === undefined || !keys.has(key)) continue;
            letters.set(key, [...(letters.get(key) ?? []), l]);
          }
          for (const e of entries) {
            const what = `${e.key} (${e.kind}: ${e.name})`;
            // What the worker reads back from Redis, judged by the event model.
            const verdict = parseEvent(JSON.parse(JSON.stringify(e.raw)) as unknown);
            const dead = letters.get(e.key) ?? [];
            const tries = attempts.filter((a) => a.eventKey === e.key);
            const replies = repliesOf(e.key, 'answers');
            const failureReplies = repliesOf(e.key, 'failure');
            expect(dead.length, `${what}: dead-lettered at most once`).toBeLessThanOrEqual(1);
            if (!verdict.ok) {
              // Refused by the model: dead-lettered at once with the model's reason, never handed to the bot.
              expect(dead[0]?.data.stage, `${what}: dead-lettered as invalid input`).toBe('ingest');
              expect(dead[0]?.data.reason, what).toContain(verdict.reason.slice(0, 200));
              expect(tries, `${what}: never handed to the bot`).toEqual([]);
              expect(replies.length + failureReplies.length, what).toBe(0);
              continue;
            }
            // Accepted: handed to the bot, retried at most N times, one outcome.
            expect(tries.length, `${what}: handled`).toBeGreaterThanOrEqual(1);
            expect(tries.length, what).toBeLessThanOrEqual(ATTEMPTS);
            expect(replies.length, `${what}: at most one reply`).toBeLessThanOrEqual(1);
            if (dead.length === 1) {
              expect(dead[0]?.data.stage, what).toBe('handle');
              expect(dead[0]?.data.reason.length, what).toBeGreaterThan(3);
              expect(replies, `${what}: dead-lettered, so not answered`).toEqual([]);
              expect(failureReplies.length, what).toBeLessThanOrEqual(1);
            } else {
              expect(failureReplies, what).toEqual([]);
            }
            if (e.kind === 'command') {
              expect(replies.length, `${what}: a valid command is answered exactly once`).toBe(1);
              expect(dead, what).toEqual([]);
            }
          }
          // Order: each stream's entries reached the bot (first attempts) in mailbox order, and the answers
          // were posted in that order too.
          for (const streamId of streams) {
            const mine = entries.filter((e) => e.streamId === streamId);
            const accepted = mine
              .filter((e) => parseEvent(JSON.parse(JSON.stringify(e.raw)) as unknown).ok)
              .map((e) => e.key);
            const mineKeys = new Set(mine.map((e) => e.key));
            const handledOrder = attempts
              .filter((a) => a.attempt === 1 && mineKeys.has(a.eventKey))
              .map((a) => a.eventKey);
            expect(handledOrder, `stream ${streamId}: handled in mailbox order`).toEqual(accepted);
            const repliedOrder = client.sent
              .map((m) => (m.parsedData['batonSource'] as { eventKey?: string } | undefined)?.eventKey)
              .filter((k): k is string => k !== undefined && mineKeys.has(k));
            const expectedReplies = mine.map((e) => e.key).filter((k) => repliedOrder.includes(k));
            expect(repliedOrder, `stream ${streamId}: answered in order`).toEqual(expectedReplies);
          }
          // Keep the queue small for the next runs (the assertions above were on this run's entries).
          for (const list of letters.values()) for (const l of list) await worker.deadLetters.drop(l.id);
        } finally {
          // A failed drain job fails this run only (shrinking re-runs the property).
          await drainQueue.clean(0, 10_000, 'failed');
        }
      }),
      { numRuns: opts.numRuns },
    );
  } finally {
    await worker.stop();
    await drainQueue.close();
  }
}
