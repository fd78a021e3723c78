import { describe, expect } from 'vitest';
import { CorruptEntryError, createMailbox, MailboxKeys } from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

const ev = (streamId: string, n: number) => ({ key: `${streamId}#${n}`, streamId, event: { n } });

describe('leader fencing of enqueue', () => {
  redisTest(
    'refuses a batch carrying a token lower than the highest seen, and accepts the newer leader',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('fe') });
      await mb.fence('5'); // what a new leader does on takeover
      expect((await mb.enqueue([ev('S', 0)], { leaderToken: '5', dedupTtlSec: 60 })).fenced).toBe(false);
      const stale = await mb.enqueue([ev('S', 1), ev('other', 0)], { leaderToken: '4', dedupTtlSec: 60 });
      expect(stale).toEqual({ added: 0, duplicates: 0, moved: 0, freshStreams: [], fenced: true });
      // The refused events were not marked as seen: the rightful leader can still add them.
      const ok = await mb.enqueue([ev('S', 1)], { leaderToken: '6', dedupTtlSec: 60 });
      expect(ok).toMatchObject({ added: 1, fenced: false });
      expect((await mb.enqueue([ev('S', 2)], { leaderToken: '5', dedupTtlSec: 60 })).fenced).toBe(true);
      expect(await mb.length('S')).toBe(2);
    },
  );

  redisTest(
    'a partition that never saw the newer token still accepts (why a new leader calls fence() first)',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('fe'), partitions: 16 });
      await mb.enqueue([ev('S', 0)], { leaderToken: '5', dedupTtlSec: 60 });
      const streams = Array.from({ length: 40 }, (_, i) => `x${i}`);
      const r = await mb.enqueue(
        streams.map((s) => ev(s, 0)),
        { leaderToken: '4', dedupTtlSec: 60 },
      );
      expect(r.fenced).toBe(true); // the partition of S refused
      expect(r.added).toBeGreaterThan(0); // the others did not know of token 5
    },
  );

  redisTest(
    'fence() raises every partition so a deposed leader is refused before the new one writes',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('fe'), partitions: 8 });
      await mb.fence('10');
      const streams = Array.from({ length: 40 }, (_, i) => `s${i}`);
      const r = await mb.enqueue(
        streams.map((s) => ev(s, 0)),
        { leaderToken: '9', dedupTtlSec: 60 },
      );
      expect(r.fenced).toBe(true);
      expect(r.added).toBe(0);
      await mb.fence('3'); // never lowers
      expect((await mb.enqueue([ev('s1', 0)], { leaderToken: '9', dedupTtlSec: 60 })).fenced).toBe(true);
      expect((await mb.enqueue([ev('s1', 0)], { leaderToken: '10', dedupTtlSec: 60 })).added).toBe(1);
    },
  );
});

describe('claim and ack', () => {
  redisTest(
    'acks only the head with the current token: stale token fenced, wrong seq mismatch',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('ack') });
      await mb.enqueue([ev('S', 0), ev('S', 1), ev('S', 2)], { dedupTtlSec: 60 });
      const t1 = await mb.claim('S');
      const r1 = await mb.ack('S', 1, t1);
      expect(r1.status).toBe('acked');
      expect(r1.next?.seq).toBe(2);
      expect(r1.hasMore).toBe(true);

      const t2 = await mb.claim('S'); // a takeover
      expect(t2).not.toBe(t1);
      const stale = await mb.ack('S', 2, t1);
      expect(stale).toEqual({ status: 'fenced', next: null, hasMore: false });
      expect(await mb.length('S')).toBe(2);

      const wrong = await mb.ack('S', 9, t2); // no such entry
      expect(wrong.status).toBe('mismatch');
      expect(wrong.next?.seq).toBe(2);
      expect(await mb.length('S')).toBe(2);

      const again = await mb.ack('S', 1, t2); // a resent, already-applied ack is a harmless mismatch
      expect(again.status).toBe('mismatch');

      expect((await mb.ack('S', 2, t2)).status).toBe('acked');
      const last = await mb.ack('S', 3, t2);
      expect(last).toEqual({ status: 'acked', next: null, hasMore: false });
      expect((await mb.ack('S', 4, t2)).status).toBe('mismatch');
      expect(await mb.backlog()).toEqual({ pending: 0, streams: 0, oldestAgeMs: null });
    },
  );

  redisTest('an ack without any claim is fenced', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('ack') });
    await mb.enqueue([ev('S', 0)], { dedupTtlSec: 60 });
    expect((await mb.ack('S', 1, '1')).status).toBe('fenced');
  });
});

describe('corrupt entries', () => {
  redisTest(
    'peek throws CorruptEntryError with raw and seq, and the entry can be acked past',
    async ({ redis }) => {
      const prefix = uniquePrefix('bad');
      const mb = createMailbox(redis, { prefix, partitions: 4 });
      const keys = new MailboxKeys(prefix, 4);
      await mb.enqueue([ev('S', 0)], { dedupTtlSec: 60 });
      const p = keys.partitionOf('S');
      // Two hand-written bad entries: one with a readable seq but a wrong schema, one not JSON at all.
      await redis.lpush(keys.list(p, 'S'), '{"seq":7,"receivedAt":1,"v":2}', 'garbage');
      await redis.incrby(keys.pending(p), 2);

      const t = await mb.claim('S');
      const err1 = await mb.peek('S').catch((e: unknown) => e);
      expect(err1).toBeInstanceOf(CorruptEntryError);
      expect((err1 as CorruptEntryError).raw).toBe('garbage');
      expect((err1 as CorruptEntryError).seq).toBeNull();
      const a1 = await mb.ack('S', -1, t);
      expect(a1.status).toBe('acked');
      expect(a1.next).toBeNull();
      expect(a1.hasMore).toBe(true);

      const err2 = (await mb.peek('S').catch((e: unknown) => e)) as CorruptEntryError;
      expect(err2.code).toBe('CORRUPT_ENTRY');
      expect(err2.seq).toBe(7);
      expect((await mb.ack('S', 7, t)).next?.seq).toBe(1);
      expect((await mb.ack('S', 1, t)).status).toBe('acked');
      expect((await mb.backlog()).pending).toBe(0);
    },
  );
});

describe('drain claim ownership', () => {
  redisTest('holds() is true only for the current claim of that stream', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('ho') });
    const first = await mb.claim('S');
    expect(await mb.holds('S', first)).toBe(true);
    expect(await mb.holds('other', first)).toBe(false);
    const second = await mb.claim('S'); // a takeover
    expect(await mb.holds('S', first)).toBe(false);
    expect(await mb.holds('S', second)).toBe(true);
  });
});
