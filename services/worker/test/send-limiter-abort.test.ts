import { workerKeys } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createSendLimiter } from '../src/runtime/send-limiter.ts';
import { SendWaitAbortedError } from '../src/runtime/send-wait-aborted-error.ts';

/** A limiter whose stream S is blocked for a minute (a 429's Retry-After): any acquire waits up to 60 s. */
async function blockedLimiter(redis: Redis, signal?: AbortSignal) {
  const prefix = uniquePrefix('rl-abort');
  let throttled!: () => void;
  const waiting = new Promise<void>((resolve) => {
    throttled = resolve;
  });
  const limiter = createSendLimiter(redis, {
    ratePerSec: 2,
    burst: 1,
    keyOf: (s) => workerKeys(prefix).sendBucket(s),
    onThrottled: () => throttled(),
    ...(signal ? { signal } : {}),
  });
  await limiter.backOff('S', 60_000);
  return { limiter, waiting };
}

describe('send limiter: abortable waits', () => {
  redisTest(
    "the limiter's own signal (shutdown) ends a wait in progress with SendWaitAbortedError",
    async ({ redis }) => {
      const shutdown = new AbortController();
      const { limiter, waiting } = await blockedLimiter(redis, shutdown.signal);
      const acquired = limiter.acquire('S');
      await waiting; // it is sleeping on the 60 s block now
      shutdown.abort(new Error('SIGTERM'));
      const err = await acquired.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SendWaitAbortedError);
      expect(err).toMatchObject({ code: 'SEND_WAIT_ABORTED', streamId: 'S' });
    },
  );

  redisTest("a call's own signal ends its wait too", async ({ redis }) => {
    const { limiter, waiting } = await blockedLimiter(redis);
    const call = new AbortController();
    const acquired = limiter.acquire('S', call.signal);
    await waiting;
    call.abort();
    await expect(acquired).rejects.toBeInstanceOf(SendWaitAbortedError);
  });

  redisTest(
    'an already aborted signal: a free token is still taken (the send goes out), a wait is refused at once',
    async ({ redis }) => {
      const prefix = uniquePrefix('rl-abort');
      const shutdown = new AbortController();
      shutdown.abort();
      const keyOf = (s: string) => workerKeys(prefix).sendBucket(s);
      let throttled = 0;
      const limiter = createSendLimiter(redis, {
        ratePerSec: 0.01,
        burst: 1,
        keyOf,
        signal: shutdown.signal,
        onThrottled: () => throttled++,
      });
      await limiter.acquire('S'); // the bucket's only token
      // The next token comes in 100 s: refused before waiting.
      await expect(limiter.acquire('S')).rejects.toBeInstanceOf(SendWaitAbortedError);
      expect(throttled).toBe(0);
    },
  );
});
