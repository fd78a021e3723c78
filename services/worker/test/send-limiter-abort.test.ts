import { workerKeys } from '@baton/shared';
import { startTestRedis, type TestRedis, uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendLimiter } from '../src/runtime/send-limiter.ts';
import { SendWaitAbortedError } from '../src/runtime/send-wait-aborted-error.ts';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await redis?.quit();
  await server?.close();
});

/** A limiter whose stream S is blocked for a minute (a 429's Retry-After): any acquire waits up to 60 s. */
async function blockedLimiter(signal?: AbortSignal) {
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
  it("the limiter's own signal (shutdown) ends a wait in progress with SendWaitAbortedError", async () => {
    const shutdown = new AbortController();
    const { limiter, waiting } = await blockedLimiter(shutdown.signal);
    const acquired = limiter.acquire('S');
    await waiting; // it is sleeping on the 60 s block now
    shutdown.abort(new Error('SIGTERM'));
    const err = await acquired.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SendWaitAbortedError);
    expect(err).toMatchObject({ code: 'SEND_WAIT_ABORTED', streamId: 'S' });
  });

  it("a call's own signal ends its wait too", async () => {
    const { limiter, waiting } = await blockedLimiter();
    const call = new AbortController();
    const acquired = limiter.acquire('S', call.signal);
    await waiting;
    call.abort();
    await expect(acquired).rejects.toBeInstanceOf(SendWaitAbortedError);
  });

  it('an already aborted signal refuses at once and takes no token', async () => {
    const prefix = uniquePrefix('rl-abort');
    const shutdown = new AbortController();
    shutdown.abort();
    const keyOf = (s: string) => workerKeys(prefix).sendBucket(s);
    const limiter = createSendLimiter(redis, { ratePerSec: 2, burst: 1, keyOf, signal: shutdown.signal });
    await expect(limiter.acquire('S')).rejects.toBeInstanceOf(SendWaitAbortedError);
    // The bucket's only token is still there.
    expect(await createSendLimiter(redis, { ratePerSec: 2, burst: 1, keyOf }).tryAcquire('S')).toBe(0);
  });
});
