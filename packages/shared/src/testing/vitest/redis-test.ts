import { Redis } from 'ioredis';
import { test } from 'vitest';
import { startTestRedis, type TestRedisOptions, uniquePrefix } from '../redis-server.ts';

/**
 * The vitest test API with a real Redis: `redisServer` (one per file, from `startTestRedis(redisOptions)`),
 * `redis` (one ioredis client per file on it, `maxRetriesPerRequest: null`, connection errors swallowed so a
 * test may kill the server) and `prefix` (a fresh `uniquePrefix()` per test). File fixtures start when a test or
 * a `redisTest.beforeAll` first asks for them and close after the file's `afterAll` hooks, in reverse order.
 * A file that needs a controllable server sets `redisTest.override('redisOptions', { forceSpawn: true })`.
 */
export const redisTest = test
  .extend('redisOptions', { scope: 'file' }, {} as TestRedisOptions)
  .extend('redisServer', { scope: 'file' }, async ({ redisOptions }, { onCleanup }) => {
    const server = await startTestRedis(redisOptions);
    onCleanup(() => server.close());
    return server;
  })
  .extend('redis', { scope: 'file' }, async ({ redisServer }, { onCleanup }) => {
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    onCleanup(() => redis.disconnect());
    return redis;
  })
  .extend('prefix', async () => uniquePrefix());
