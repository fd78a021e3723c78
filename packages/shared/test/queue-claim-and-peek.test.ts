import { describe, expect } from 'vitest';
import { CorruptEntryError, createMailbox, MailboxKeys } from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

const ev = (streamId: string, n: number, ts?: number) => ({
  key: `${streamId}#${n}`,
  streamId,
  event: { n },
  ...(ts !== undefined ? { ts } : {}),
});

describe('claimAndPeek: a drain’s claim and first peek in one round trip', () => {
  redisTest('claims a new token (older ones fenced) and returns the head, or null', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('cp') });
    expect(await mb.claimAndPeek('S')).toEqual({ token: expect.any(String), head: null });
    await mb.enqueue([ev('S', 0), ev('S', 1)], { dedupTtlSec: 60 });
    const old = await mb.claim('S');
    const { token, head } = await mb.claimAndPeek('S');
    expect(Number(token)).toBeGreaterThan(Number(old));
    expect(await mb.holds('S', token)).toBe(true);
    expect(await mb.holds('S', old)).toBe(false);
    expect(head).toMatchObject({ key: 'S#0', seq: 1, late: false, event: { n: 0 } });
    expect((await mb.ack('S', 1, old)).status).toBe('fenced');
    expect((await mb.ack('S', 1, token)).next).toMatchObject({ key: 'S#1' });
  });

  redisTest('flags a late head as peek does', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('cp') });
    await mb.enqueue([ev('S', 0, 2_000)], { dedupTtlSec: 60 });
    const t = await mb.claim('S');
    await mb.ack('S', 1, t); // handled up to timestamp 2,000
    await mb.enqueue([ev('S', 1, 1_000)], { dedupTtlSec: 60 }); // an older event, redelivered
    const { head } = await mb.claimAndPeek('S');
    expect(head).toMatchObject({ key: 'S#1', late: true });
    expect(await mb.peek('S')).toMatchObject({ key: 'S#1', late: true });
  });

  redisTest('returns (not throws) the CorruptEntryError of a bad head, after claiming', async ({ redis }) => {
    const prefix = uniquePrefix('cp');
    const mb = createMailbox(redis, { prefix, partitions: 4 });
    const keys = new MailboxKeys(prefix, 4);
    await redis.lpush(keys.list(keys.partitionOf('S'), 'S'), 'garbage');
    const { token, head } = await mb.claimAndPeek('S');
    expect(head).toBeInstanceOf(CorruptEntryError);
    expect((head as CorruptEntryError).raw).toBe('garbage');
    expect(await mb.holds('S', token)).toBe(true);
  });
});

describe('claimAndPeek: whether a drain may already have started on the head', () => {
  const keysOf = (prefix: string) => new MailboxKeys(prefix, 16);

  redisTest(
    'no for a head enqueued after its predecessor was acked or after an empty claim, or of a stream never claimed',
    async ({ redis }) => {
      const mb = createMailbox(redis, { prefix: uniquePrefix('ms') });
      await mb.enqueue([ev('S', 0)], { dedupTtlSec: 60 });
      expect((await mb.claimAndPeek('T')).head).toBeNull(); // an empty claim hands nothing out…
      await mb.enqueue([ev('T', 0)], { dedupTtlSec: 60 });
      expect((await mb.claimAndPeek('T')).head).toMatchObject({ key: 'T#0', maybeStarted: false }); // …so: no
      const first = await mb.claimAndPeek('S');
      expect(first.head).toMatchObject({ key: 'S#0', maybeStarted: false });
      expect((await mb.ack('S', 1, first.token)).next).toBeNull();
      await mb.enqueue([ev('S', 1)], { dedupTtlSec: 60 });
      expect((await mb.claimAndPeek('S')).head).toMatchObject({ key: 'S#1', maybeStarted: false });
    },
  );

  redisTest('yes for a head a claim or an ack handed to a drain that did not ack it', async ({ redis }) => {
    const mb = createMailbox(redis, { prefix: uniquePrefix('ms') });
    await mb.enqueue([ev('S', 0), ev('S', 1), ev('S', 2)], { dedupTtlSec: 60 });
    const a = await mb.claimAndPeek('S');
    expect(a.head).toMatchObject({ key: 'S#0', maybeStarted: false });
    // The drain dies with S#0 in hand: the next claim may meet its marks.
    const b = await mb.claimAndPeek('S');
    expect(b.head).toMatchObject({ key: 'S#0', maybeStarted: true });
    // The ack hands S#1 to drain b, which dies with it: the same.
    expect((await mb.ack('S', 1, b.token)).next).toMatchObject({ key: 'S#1' });
    const c = await mb.claimAndPeek('S');
    expect(c.head).toMatchObject({ key: 'S#1', maybeStarted: true });
    // A mismatch hands the current head over too.
    expect((await mb.ack('S', 9, c.token)).status).toBe('mismatch');
    expect((await mb.claimAndPeek('S')).head).toMatchObject({ key: 'S#1', maybeStarted: true });
  });

  redisTest(
    'yes when the previous claim left no record of its hand-outs (a worker of an older version)',
    async ({ redis }) => {
      const prefix = uniquePrefix('ms');
      const mb = createMailbox(redis, { prefix });
      const keys = keysOf(prefix);
      const p = keys.partitionOf('S');
      await mb.enqueue([ev('S', 0)], { dedupTtlSec: 60 });
      // An older worker's claim: the token in `active`, nothing in `handed`.
      await redis.hset(keys.active(p), 'S', '7');
      expect((await mb.claimAndPeek('S')).head).toMatchObject({ key: 'S#0', maybeStarted: true });
      // …and one made after a newer worker's last hand-out: the token it recorded is not the current one.
      await mb.enqueue([ev('S', 1)], { dedupTtlSec: 60 });
      const t = await mb.claimAndPeek('S');
      await mb.ack('S', 1, t.token); // hands S#1 to t
      await redis.hset(keys.active(p), 'S', String(Number(t.token) + 100)); // an older worker claims after it
      expect((await mb.claimAndPeek('S')).head).toMatchObject({ key: 'S#1', maybeStarted: true });
    },
  );
});
