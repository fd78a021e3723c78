import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createMailbox, type EnqueueItem, type Mailbox, MailboxKeys } from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

// An older event that arrives after newer ones of its stream (a batch Symphony redelivers after a leader
// failover): placed before the newer ones still pending, flagged late when newer ones were already handled.
// Real Redis, real scripts.

const S = 'stream-late';
const T0 = 1_700_000_000_000;

/** Event `n` of the stream, timestamped T0 + n·10 ms unless `ts` says otherwise (null: no timestamp). */
function item(n: number, ts: number | null = T0 + n * 10): EnqueueItem {
  return { key: `k${n}`, streamId: S, event: { n }, ...(ts === null ? {} : { ts }) };
}

const nOf = (h: { event: unknown } | null) => (h?.event as { n: number } | undefined)?.n;

async function pendingNs(redis: Redis, mb: Mailbox, prefix: string): Promise<number[]> {
  const keys = new MailboxKeys(prefix, 16);
  const raw = await redis.lrange(keys.list(keys.partitionOf(S), S), 0, -1);
  expect(await mb.length(S)).toBe(raw.length);
  return raw.map((r) => (JSON.parse(r) as { event: { n: number } }).event.n);
}

/** Handles the whole stream head first; returns [n, late] per event. */
async function drain(mb: Mailbox): Promise<[number, boolean][]> {
  const token = await mb.claim(S);
  const out: [number, boolean][] = [];
  let head = await mb.peek(S);
  while (head) {
    out.push([nOf(head) as number, head.late]);
    const r = await mb.ack(S, head.seq, token);
    expect(r.status).toBe('acked');
    head = r.next;
  }
  return out;
}

/** A mailbox on a fresh prefix; `enqueue(...items)` with a 60 s dedup TTL, `pending()` as `pendingNs`. */
function setup(redis: Redis) {
  const prefix = uniquePrefix('late');
  const mb = createMailbox(redis, { prefix });
  return {
    mb,
    enqueue: (...items: EnqueueItem[]) => mb.enqueue(items, { dedupTtlSec: 60 }),
    pending: () => pendingNs(redis, mb, prefix),
  };
}

describe('late events in the mailbox', () => {
  redisTest(
    'places older events before the newer pending ones, in timestamp order, none flagged',
    async ({ redis }) => {
      const { mb, enqueue, pending } = setup(redis);
      await enqueue(item(5), item(6), item(7));
      // the redelivered batch: older events, in feed order, with one that is newer than everything
      const r = await enqueue(item(2), item(3), item(9));
      expect(r).toMatchObject({ added: 3, moved: 2, freshStreams: [] });
      expect(await pending()).toEqual([2, 3, 5, 6, 7, 9]);
      // equal timestamps keep arrival order; an event between two pending ones goes between them
      await enqueue(item(4, T0 + 50), item(8, T0 + 65));
      expect(await pending()).toEqual([2, 3, 5, 4, 6, 8, 7, 9]);
      expect((await drain(mb)).map(([n, late]) => `${n}${late ? '!' : ''}`)).toEqual([
        '2',
        '3',
        '5',
        '4',
        '6',
        '8',
        '7',
        '9',
      ]);
      expect(await mb.backlog()).toMatchObject({ pending: 0, streams: 0 });
    },
  );

  redisTest('flags an event older than what was already handled, and only that one', async ({ redis }) => {
    const { mb, enqueue } = setup(redis);
    await enqueue(item(5), item(6));
    expect(await drain(mb)).toEqual([
      [5, false],
      [6, false],
    ]);
    await enqueue(item(3), item(4), item(7));
    expect(await drain(mb)).toEqual([
      [3, true],
      [4, true],
      [7, false],
    ]);
    // an event with the same timestamp as the newest handled is not late (the protocol cannot order it)
    await enqueue(item(70, T0 + 70));
    expect(await drain(mb)).toEqual([[70, false]]);
  });

  redisTest(
    'an older event placed before the head while the head is being handled: the head is acked, the older one comes next, flagged',
    async ({ redis }) => {
      const { mb, enqueue, pending } = setup(redis);
      await enqueue(item(5), item(6));
      const token = await mb.claim(S);
      const head = await mb.peek(S);
      expect(nOf(head)).toBe(5);
      // while 5 is in the handler, the redelivery of 3 arrives and is placed first
      await enqueue(item(3));
      expect(await pending()).toEqual([3, 5, 6]);
      const r = await mb.ack(S, head!.seq, token);
      expect(r.status).toBe('acked');
      expect(nOf(r.next)).toBe(3);
      expect(r.next?.late).toBe(true);
      expect(await pending()).toEqual([3, 6]);
      expect(await mb.backlog()).toMatchObject({ pending: 2, streams: 1 });
      const rest = await mb.ack(S, r.next!.seq, token);
      expect([nOf(rest.next), rest.next?.late]).toEqual([6, false]);
    },
  );

  redisTest(
    'keeps fencing: a deposed drain can neither ack the head nor an entry behind it',
    async ({ redis }) => {
      const { mb, enqueue, pending } = setup(redis);
      await enqueue(item(5), item(6));
      const old = await mb.claim(S);
      const head = await mb.peek(S);
      await enqueue(item(3));
      await mb.claim(S); // a new drain takes the stream over
      expect((await mb.ack(S, head!.seq, old)).status).toBe('fenced');
      expect(await pending()).toEqual([3, 5, 6]);
    },
  );

  redisTest(
    'a redelivered duplicate is still skipped; entries without a timestamp are appended and never flagged',
    async ({ redis }) => {
      const { mb, enqueue, pending } = setup(redis);
      await enqueue(item(5), item(6));
      expect(await enqueue(item(5))).toMatchObject({ added: 0, duplicates: 1 });
      await enqueue(item(1, null), item(2));
      // 1 has no timestamp: appended. 2 walks back from the tail and stops at 1 (order unknown there).
      expect(await pending()).toEqual([5, 6, 1, 2]);
      expect(await drain(mb)).toEqual([
        [5, false],
        [6, false],
        [1, false],
        [2, true],
      ]);
    },
  );

  redisTest(
    'stays ordered under a long run of newer pending events (walks chunk by chunk)',
    async ({ redis }) => {
      const { mb, enqueue, pending } = setup(redis);
      const newer = Array.from({ length: 450 }, (_, i) => item(100 + i));
      await enqueue(...newer);
      await enqueue(item(1), item(1000, T0 + 2_505), item(2));
      const ns = await pending();
      expect(ns.slice(0, 2)).toEqual([1, 2]);
      expect(ns.indexOf(1000)).toBe(ns.indexOf(250) + 1);
      expect(ns).toHaveLength(453);
      expect((await drain(mb)).filter(([, late]) => late)).toEqual([]);
    },
  );
});
