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
