import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { createMailbox, type Mailbox } from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

function item(streamId: string, n: number, key = `${streamId}#${n}`) {
  return { key, streamId, event: { id: `e${n}`, n, streamId } };
}

/** Drains one stream completely through claim/peek/ack, returning the `n` of each event in order. */
async function drainAll(mb: Mailbox, streamId: string): Promise<{ ns: number[]; seqs: number[] }> {
  const token = await mb.claim(streamId);
  const ns: number[] = [];
  const seqs: number[] = [];
  let head = await mb.peek(streamId);
  while (head) {
    ns.push((head.event as { n: number }).n);
    seqs.push(head.seq);
    const r = await mb.ack(streamId, head.seq, token);
    expect(r.status).toBe('acked');
    head = r.next;
  }
  return { ns, seqs };
}

describe('mailbox enqueue', () => {
  redisTest(
    'keeps per-stream order over thousands of events in many streams, with contiguous seqs',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('mb') });
      const streams = Array.from({ length: 60 }, (_, i) => `stream_${i}-x`);
      const perStream = 50;
      // Interleave streams inside batches of 100 like a real feed.
      const all = [];
      for (let n = 0; n < perStream; n++) for (const s of streams) all.push(item(s, n));
      const fresh = new Set<string>();
      let added = 0;
      for (let i = 0; i < all.length; i += 100) {
        const r = await mb.enqueue(all.slice(i, i + 100), { dedupTtlSec: 600 });
        expect(r.fenced).toBe(false);
        added += r.added;
        for (const s of r.freshStreams) {
          expect(fresh.has(s)).toBe(false); // fresh only once while nothing is drained
          fresh.add(s);
        }
      }
      expect(added).toBe(streams.length * perStream);
      expect(fresh.size).toBe(streams.length);

      const backlog = await mb.backlog();
      expect(backlog.pending).toBe(streams.length * perStream);
      expect(backlog.streams).toBe(streams.length);
      expect(backlog.oldestAgeMs).not.toBeNull();

      const expected = Array.from({ length: perStream }, (_, n) => n);
      await Promise.all(
        streams.map(async (s) => {
          const { ns, seqs } = await drainAll(mb, s);
          expect(ns).toEqual(expected);
          expect(seqs).toEqual(expected.map((n) => n + 1));
        }),
      );
      expect(await mb.backlog()).toEqual({ pending: 0, streams: 0, oldestAgeMs: null });
    },
  );

  redisTest(
    'reports a stream as fresh again once its mailbox was emptied, and seqs keep increasing',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('mb') });
      const r1 = await mb.enqueue([item('A', 0), item('A', 1), item('B', 0)], { dedupTtlSec: 60 });
      expect(r1.freshStreams.sort()).toEqual(['A', 'B']);
      const r2 = await mb.enqueue([item('A', 2)], { dedupTtlSec: 60 });
      expect(r2.freshStreams).toEqual([]);
      expect((await drainAll(mb, 'A')).seqs).toEqual([1, 2, 3]);
      const r3 = await mb.enqueue([item('A', 3)], { dedupTtlSec: 60 });
      expect(r3.freshStreams).toEqual(['A']);
      expect((await mb.peek('A'))?.seq).toBe(4);
    },
  );

  redisTest(
    'skips duplicate keys, within a batch and across batches, and a resent batch is harmless',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('mb') });
      const batch = [item('S1', 0), item('S1', 1), item('S2', 0), item('S1', 0)];
      const first = await mb.enqueue(batch, { dedupTtlSec: 60 });
      expect(first).toMatchObject({ added: 3, duplicates: 1, fenced: false });
      const resend = await mb.enqueue(batch, { dedupTtlSec: 60 });
      expect(resend).toEqual({ added: 0, duplicates: 4, moved: 0, freshStreams: [], fenced: false });
      expect((await mb.backlog()).pending).toBe(3);
      expect((await drainAll(mb, 'S1')).ns).toEqual([0, 1]);
    },
  );

  redisTest(
    'keeps two distinct events that share a Symphony id but have different keys',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('mb') });
      const shared = 'ulPr8a';
      const r = await mb.enqueue(
        [
          { key: `${shared}|MESSAGESENT|m1|S`, streamId: 'S', event: { id: shared, n: 0 } },
          { key: `${shared}|USERJOINEDROOM||S`, streamId: 'S', event: { id: shared, n: 1 } },
        ],
        { dedupTtlSec: 60 },
      );
      expect(r.added).toBe(2);
      expect((await drainAll(mb, 'S')).ns).toEqual([0, 1]);
    },
  );

  redisTest('forgets a key after the dedup TTL', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('mb') });
    expect((await mb.enqueue([item('T', 0)], { dedupTtlSec: 1 })).added).toBe(1);
    expect((await mb.enqueue([item('T', 0)], { dedupTtlSec: 1 })).added).toBe(0);
    await sleep(2_100);
    expect((await mb.enqueue([item('T', 0)], { dedupTtlSec: 1 })).added).toBe(1);
  });
});

describe('mailbox backlog reads', () => {
  redisTest(
    'reports pending, streams, oldest age, top streams and waiting streams from its counters',
    async ({ redis }) => {
      let clock = 1_000_000;
      const mb = createMailbox(redis, { prefix: uniquePrefix('mb'), partitions: 4, now: () => clock });
      await mb.enqueue(
        [
          { ...item('old', 0), receivedAt: 1_000 },
          { ...item('old', 1), receivedAt: 2_000 },
          { ...item('mid', 0), receivedAt: 500_000 },
          { ...item('new', 0), receivedAt: 990_000 },
          { ...item('new', 1), receivedAt: 990_001 },
          { ...item('new', 2), receivedAt: 990_002 },
        ],
        { dedupTtlSec: 60 },
      );
      expect(await mb.backlog()).toEqual({ pending: 6, streams: 3, oldestAgeMs: 999_000 });
      expect(await mb.topStreams(2)).toEqual([
        { streamId: 'old', pending: 2, oldestAgeMs: 999_000 },
        { streamId: 'mid', pending: 1, oldestAgeMs: 500_000 },
      ]);
      expect(await mb.streamsWaitingLongerThan(100_000, 10)).toEqual(['old', 'mid']);
      expect(await mb.streamsWaitingLongerThan(100_000, 1)).toEqual(['old']);

      // Acking the head moves the stream's score to its next entry's receivedAt.
      const token = await mb.claim('old');
      await mb.ack('old', 1, token);
      clock = 1_002_000;
      expect(await mb.topStreams(1)).toEqual([{ streamId: 'old', pending: 1, oldestAgeMs: 1_000_000 }]);
      await mb.ack('old', 2, token);
      expect(await mb.topStreams(1)).toEqual([{ streamId: 'mid', pending: 1, oldestAgeMs: 502_000 }]);
      expect((await mb.backlog()).pending).toBe(4);
      expect(await mb.length('new')).toBe(3);
    },
  );
});
