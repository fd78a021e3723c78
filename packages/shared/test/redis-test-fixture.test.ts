import { describe, expect } from 'vitest';
import { redisTest } from '../src/testing/vitest/index.ts';

// The fixture every Redis test file uses: one server and client per file, a fresh prefix per test.
redisTest.override('redisOptions', { forceSpawn: true, appendOnly: true });

const seen: { prefix: string; url: string }[] = [];

describe('redisTest', () => {
  redisTest(
    'gives the file a live client on its own server, and the test a fresh prefix',
    async ({ redis, redisServer, prefix }) => {
      // The file's override reached the file-scoped server (the default is neither spawned nor append-only).
      expect(redisServer.kind).toBe('spawned');
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      await redis.set(`${prefix}:k`, 'v');
      expect(await redis.get(`${prefix}:k`)).toBe('v');
      seen.push({ prefix, url: redisServer.url });
    },
  );

  redisTest(
    'shares the server and client across the file, not the prefix',
    async ({ redisServer, prefix }) => {
      expect(seen).toHaveLength(1);
      expect(redisServer.url).toBe(seen[0]?.url);
      expect(prefix).not.toBe(seen[0]?.prefix);
    },
  );
});
