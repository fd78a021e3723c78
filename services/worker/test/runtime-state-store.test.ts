import { createMemoryStateStore, type StateStore } from '@baton/bot';
import { createTestClock } from '@baton/bot/testkit';
import { keySlot } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisStateStore, onceMarkKey } from '../src/runtime/redis-state-store.ts';

let redis: Redis;

redisTest.beforeAll(({ redis: fileRedis }) => {
  redis = fileRedis;
});

/** The contract both stores honour. */
function contract(name: string, make: () => StateStore) {
  describe(name, () => {
    it('stores JSON values, returns copies, deletes', async () => {
      const store = make();
      expect(await store.get('missing')).toBeUndefined();
      const value = { a: 1, list: ['x', { y: true }], none: null };
      await store.set('k', value);
      const read = await store.get<typeof value>('k');
      expect(read).toEqual(value);
      read!.a = 2;
      expect(await store.get('k')).toEqual(value);
      await store.set('s', 'text');
      expect(await store.get('s')).toBe('text');
      await store.delete('k');
      expect(await store.get('k')).toBeUndefined();
    });

    it('increments hash fields atomically', async () => {
      const store = make();
      expect(await store.getFields('tally')).toEqual({});
      const results = await Promise.all(Array.from({ length: 20 }, () => store.incrementField('tally', 'a')));
      expect(results.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.incrementField('tally', 'b', 5)).toBe(5);
      expect(await store.incrementField('tally', 'b', -2)).toBe(3);
      expect(await store.getFields('tally')).toEqual({ a: 20, b: 3 });
    });

    it('incrementFieldOnce applies each operation id once, even when raced', async () => {
      const store = make();
      const first = await Promise.all(
        Array.from({ length: 10 }, () => store.incrementFieldOnce('once', 'n', 'event-1', 2)),
      );
      expect(first.filter((r) => r.applied)).toHaveLength(1);
      expect(first.map((r) => r.value)).toEqual(Array(10).fill(2));
      expect(await store.incrementFieldOnce('once', 'n', 'event-2')).toEqual({ value: 3, applied: true });
      expect(await store.incrementFieldOnce('once', 'n', 'event-1')).toEqual({ value: 3, applied: false });
      expect(await store.incrementFieldOnce('once', 'other', 'event-1')).toEqual({
        value: 0,
        applied: false,
      });
      expect(await store.getFields('once')).toEqual({ n: 3 });
    });

    it('setFieldIfAbsent keeps the first write and returns what is stored; getFieldValues decodes', async () => {
      const store = make();
      const attempts = await Promise.all(
        ['a', 'b', 'c'].map((who) => store.setFieldIfAbsent('votes', 'u1', { option: who })),
      );
      const winners = attempts.filter((r) => r.set);
      expect(winners).toHaveLength(1);
      for (const r of attempts) expect(r.value).toEqual(winners[0]?.value);
      expect(await store.setFieldIfAbsent('votes', 'u2', 7)).toEqual({ set: true, value: 7 });
      expect(await store.setFieldIfAbsent('votes', 'u2', 8)).toEqual({ set: false, value: 7 });
      await store.incrementField('votes', 'count', 5);
      expect(await store.getFieldValues('votes')).toEqual({ u1: winners[0]?.value, u2: 7, count: 5 });
      // getFields reads only the counters.
      expect(await store.getFields('votes')).toEqual({ u2: 7, count: 5 });
      expect(await store.getFieldValues('nothing')).toEqual({});
    });
  });
}

contract('memory state store', () => createMemoryStateStore());
contract('redis state store', () => createRedisStateStore(redis, { prefix: `${uniquePrefix('state')}:` }));

describe('expiry', () => {
  it('memory store: values and hashes expire with the clock', async () => {
    const clock = createTestClock();
    const store = createMemoryStateStore({ now: clock.now });
    await store.set('v', 1, 10);
    await store.incrementField('h', 'f', 1, 10);
    clock.advance(9_999);
    expect(await store.get('v')).toBe(1);
    expect(await store.getFields('h')).toEqual({ f: 1 });
    clock.advance(1);
    expect(await store.get('v')).toBeUndefined();
    expect(await store.getFields('h')).toEqual({});
  });

  it('redis store: sets the TTL on values and hashes, under the prefix', async () => {
    const prefix = `${uniquePrefix('ttl')}:`;
    const store = createRedisStateStore(redis, { prefix });
    await store.set('v', { x: 1 }, 30);
    await store.incrementField('h', 'f', 1, 40);
    await store.set('forever', 1);
    const ttlV = await redis.ttl(`${prefix}v`);
    const ttlH = await redis.ttl(`${prefix}h`);
    expect(ttlV).toBeGreaterThan(0);
    expect(ttlV).toBeLessThanOrEqual(30);
    expect(ttlH).toBeGreaterThan(30);
    expect(await redis.ttl(`${prefix}forever`)).toBe(-1);
    expect(JSON.parse((await redis.get(`${prefix}v`)) ?? 'null')).toEqual({ x: 1 });
  });

  it('redis store: an expired value reads as undefined', async () => {
    const store = createRedisStateStore(redis, { prefix: `${uniquePrefix('exp')}:` });
    await store.set('short', 'gone soon', 1);
    await expect.poll(() => store.get('short'), { timeout: 5_000, interval: 200 }).toBeUndefined();
  });
});

describe('redis store on Cluster', () => {
  it('keeps every once-mark in the slot of its key (one script, one slot)', () => {
    for (const key of ['baton:state:feedback:ratings', 'baton:{p3}:x', '{tagged}:rest', 'x{y}z{w}']) {
      const mark = onceMarkKey(key, 'evt:MESSAGESENT:abc');
      expect(keySlot(mark), `${key} → ${mark}`).toBe(keySlot(key));
    }
    // Stray braces leave no way to share the slot: refused with a coded error rather than a CROSSSLOT later.
    for (const key of ['a{}b', 'b}{c']) {
      expect(() => onceMarkKey(key, 'op')).toThrowError(expect.objectContaining({ code: 'STATE_KEY_SLOT' }));
    }
  });

  it('marks live as long as the hash when it expires, a week otherwise', async () => {
    const prefix = `${uniquePrefix('mark')}:`;
    const store = createRedisStateStore(redis, { prefix });
    await store.incrementFieldOnce('short', 'f', 'op', 1, 60);
    await store.incrementFieldOnce('long', 'f', 'op');
    const shortTtl = await redis.ttl(onceMarkKey(`${prefix}short`, 'op'));
    const longTtl = await redis.ttl(onceMarkKey(`${prefix}long`, 'op'));
    expect(shortTtl).toBeGreaterThan(0);
    expect(shortTtl).toBeLessThanOrEqual(60);
    expect(longTtl).toBeGreaterThan(6 * 24 * 3600);
    expect(await redis.ttl(`${prefix}long`)).toBe(-1);
  });
});

describe('redis store script', () => {
  it('incrementFieldOnce keeps working after Redis lost its script cache (EVALSHA falls back to EVAL)', async () => {
    const store = createRedisStateStore(redis, { prefix: `${uniquePrefix('flush')}:` });
    expect(await store.incrementFieldOnce('h', 'n', 'op-1')).toEqual({ value: 1, applied: true });
    // What a Redis restart does to the scripts a client has loaded.
    await redis.script('FLUSH');
    expect(await store.incrementFieldOnce('h', 'n', 'op-2', 4)).toEqual({ value: 5, applied: true });
    expect(await store.incrementFieldOnce('h', 'n', 'op-1')).toEqual({ value: 5, applied: false });
  });
});
