import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, parseHostPort } from '../src/redis/index.ts';
import { startTestRedis, type TestRedis } from '../src/testing/index.ts';

let server: TestRedis;
const opened: { disconnect(): void }[] = [];

beforeAll(async () => {
  server = await startTestRedis({ forceSpawn: true, appendOnly: true });
});

afterAll(async () => {
  for (const c of opened) c.disconnect();
  await server?.close();
});

describe('createRedis', () => {
  it('connects to a standalone URL with a db number', async () => {
    const r = createRedis({ url: `${server.url}/3` }) as Redis;
    opened.push(r);
    await r.set('k', 'v');
    expect(r.options.db).toBe(3);
    expect(r.options.maxRetriesPerRequest).toBeNull();
    expect(await r.get('k')).toBe('v');
  });

  it('holds commands while Redis restarts and completes them afterwards', async () => {
    const r = createRedis({ url: server.url });
    opened.push(r);
    // fsync every write, so the SIGKILL below cannot drop it (everysec may postpone writes on a busy disk).
    await r.config('SET', 'appendfsync', 'always');
    await r.set('before', '1');
    await server.kill();
    const pending = r.incr('during');
    await sleep(500);
    await server.start();
    expect(await pending).toBe(1);
    expect(await r.get('before')).toBe('1'); // AOF kept it
  });

  it('parses host:port lists', () => {
    expect(parseHostPort('10.0.0.1:26379')).toEqual({ host: '10.0.0.1', port: 26379 });
    expect(parseHostPort('redis')).toEqual({ host: 'redis', port: 6379 });
    expect(() => parseHostPort('h:x')).toThrow(TypeError);
  });
});
