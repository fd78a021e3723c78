import { createRedis } from '@baton/shared';
import { startTestRedisCluster, uniquePrefix } from '@baton/shared/testing';
import { describe, expect, it } from 'vitest';
import { createMailbox, keySlot, type Mailbox, MailboxKeys } from '../src/queue/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

const ev = (streamId: string, key: string) => ({ key, streamId, event: { key } });

/** The processed mark of `key` in `streamId`'s partition (MailboxKeys.processed). */
const markOf = (prefix: string, streamId: string, key: string, partitions = 16) => {
  const keys = new MailboxKeys(prefix, partitions);
  return keys.processed(keys.partitionOf(streamId), key);
};

describe('processed marks in the mailbox scripts', () => {
  redisTest('the ack sets the acked event’s mark in the same script, with its TTL', async ({ redis }) => {
    const prefix = uniquePrefix('pm');
    const mb = createMailbox(redis, { prefix });
    await mb.enqueue([ev('S', 'k0'), ev('S', 'k1')], { dedupTtlSec: 60 });
    const { token, head } = await mb.claimAndPeek('S');
    expect(head).toMatchObject({ key: 'k0', processed: false });
    const res = await mb.ack('S', 1, token, { eventKey: 'k0', outcome: 'handled', ttlSec: 120 });
    expect(res).toMatchObject({ status: 'acked', next: { key: 'k1', processed: false } });
    const mark = markOf(prefix, 'S', 'k0');
    expect(await redis.get(mark)).toBe('handled');
    const ttl = await redis.ttl(mark);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    // Without a mark (a duplicate, a corrupt entry), the ack writes none.
    await mb.ack('S', 2, token);
    expect(await redis.exists(markOf(prefix, 'S', 'k1'))).toBe(0);
  });

  redisTest(
    'a fenced ack still records the event as processed: the successor’s claim, peek and acks say so',
    async ({ redis }) => {
      const prefix = uniquePrefix('pm');
      const mb = createMailbox(redis, { prefix });
      await mb.enqueue([ev('S', 'a'), ev('S', 'b'), ev('S', 'c')], { dedupTtlSec: 60 });
      const deposed = await mb.claim('S');
      const successor = await mb.claim('S');
      // The deposed drain handled `a` and its ack is refused: `a` stays, marked.
      const fencedAck = await mb.ack('S', 1, deposed, { eventKey: 'a', outcome: 'handled', ttlSec: 60 });
      expect(fencedAck.status).toBe('fenced');
      expect(await mb.peek('S')).toMatchObject({ key: 'a', processed: true });
      const again = await mb.claimAndPeek('S');
      expect(Number(again.token)).toBeGreaterThan(Number(successor));
      expect(again.head).toMatchObject({ key: 'a', processed: true });
      // A mark set for the next head before the ack that returns it is reported by that ack.
      await redis.set(markOf(prefix, 'S', 'b'), 'dead-lettered');
      const r = await mb.ack('S', 1, again.token);
      expect(r).toMatchObject({ status: 'acked', next: { key: 'b', processed: true } });
      // A mismatch reports the current head's flag too.
      const mismatch = await mb.ack('S', 9, again.token, { eventKey: 'zz', outcome: 'skipped', ttlSec: 60 });
      expect(mismatch).toMatchObject({ status: 'mismatch', next: { key: 'b', processed: true } });
      expect((await mb.ack('S', 2, again.token)).next).toMatchObject({ key: 'c', processed: false });
    },
  );

  redisTest(
    'reads the key of an entry whose key needs JSON escapes (quotes, backslashes, non-ASCII)',
    async ({ redis }) => {
      const prefix = uniquePrefix('pm');
      const mb = createMailbox(redis, { prefix });
      const odd = 'MESSAGESENT:id"with\\odd:é:{tag}';
      await mb.enqueue([ev('S', 'plain'), ev('S', odd)], { dedupTtlSec: 60 });
      await redis.set(markOf(prefix, 'S', odd), 'skipped');
      const { token } = await mb.claimAndPeek('S');
      const r = await mb.ack('S', 1, token);
      expect(r.next).toMatchObject({ key: odd, processed: true });
      // And the ack's own mark of such a key lands where the scripts look for it.
      await mb.enqueue([ev('S', `${odd}#2`)], { dedupTtlSec: 60 });
      await mb.ack('S', 2, token, { eventKey: odd, outcome: 'handled', ttlSec: 60 });
      expect(await redis.get(markOf(prefix, 'S', odd))).toBe('handled');
      expect(await mb.peek('S')).toMatchObject({ key: `${odd}#2`, processed: false });
    },
  );

  redisTest('keysFor lists the processed mark, in the stream’s slot', async ({ redis }) => {
    const prefix = uniquePrefix('pm');
    const mb = createMailbox(redis, { prefix });
    const keys = mb.keysFor('S', 'k');
    expect(keys).toContain(markOf(prefix, 'S', 'k'));
    expect(new Set(keys.map(keySlot)).size).toBe(1);
  });
});

async function drainOnce(mb: Mailbox, streamId: string, keys: string[]): Promise<void> {
  const { token, head } = await mb.claimAndPeek(streamId);
  expect(head).toMatchObject({ key: keys[0], processed: false });
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const r = await mb.ack(streamId, i + 1, token, { eventKey: key, outcome: 'handled', ttlSec: 60 });
    expect(r.status).toBe('acked');
    if (i + 1 < keys.length) expect(r.next).toMatchObject({ key: keys[i + 1], processed: false });
  }
}

describe('processed marks on a Redis Cluster', () => {
  it('claim, peek and ack read and write the marks they build from the entry (same slot, not declared)', async () => {
    const cluster = await startTestRedisCluster({ replicasPerMaster: 0 });
    const client = createRedis({ url: 'redis://127.0.0.1:6379', clusterNodes: cluster.seedNodes.split(',') });
    try {
      const prefix = uniquePrefix('pmc');
      const mb = createMailbox(client, { prefix });
      // Streams spread over the partitions, hence over the cluster's masters.
      const streams = Array.from({ length: 24 }, (_, i) => `stream-${i}`);
      for (const s of streams) {
        await mb.enqueue([ev(s, `${s}:a`), ev(s, `${s}:b`)], { dedupTtlSec: 60 });
        await drainOnce(mb, s, [`${s}:a`, `${s}:b`]);
        expect(await client.get(markOf(prefix, s, `${s}:b`))).toBe('handled');
      }
      // A fenced ack on the cluster marks, and the successor sees it.
      const s = 'stream-fenced';
      await mb.enqueue([ev(s, 'f1')], { dedupTtlSec: 60 });
      const old = await mb.claim(s);
      await mb.claim(s);
      expect((await mb.ack(s, 1, old, { eventKey: 'f1', outcome: 'handled', ttlSec: 60 })).status).toBe(
        'fenced',
      );
      expect((await mb.claimAndPeek(s)).head).toMatchObject({ key: 'f1', processed: true });
    } finally {
      client.disconnect();
      await cluster.close();
    }
  }, 120_000);
});
