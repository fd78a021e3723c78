import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStateStore, createRedisStateStore, type StateStore } from '../src/framework/index.ts';
import { createTestClock } from '../src/framework/testkit/index.ts';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 3 });
});

afterAll(async () => {
  await redis?.quit();
  await server?.close();
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
