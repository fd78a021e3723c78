import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../src/testing/index.ts';

describe('startTestRedis (spawned)', () => {
  let redis: TestRedis;
  afterAll(async () => {
    await redis?.close();
  });

  it('gives a private server that survives kill+start with AOF', async () => {
    redis = await startTestRedis({ forceSpawn: true, appendOnly: true });
    expect(redis.kind).toBe('spawned');
    expect(redis.port).not.toBe(6379);
    const c = new Redis(redis.url, { maxRetriesPerRequest: 0, lazyConnect: true });
    c.on('error', () => {});
    await c.connect();
    await c.set('k', 'v');
    c.disconnect();
    await redis.stop();
    const down = new Redis(redis.url, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    down.on('error', () => {});
    await expect(down.connect()).rejects.toThrow();
    down.disconnect();
    await redis.start();
    const c2 = new Redis(redis.url);
    expect(await c2.get('k')).toBe('v');
    await c2.quit();
  });
});
