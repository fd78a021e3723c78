import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  abortableSleep,
  ClientError,
  ConnectionError,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  FeedGoneError,
  parseRetryAfter,
  RateLimitedError,
  retryDelayMs,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from '../src/symphony/index.ts';

const policy = {
  maxAttempts: 5,
  initialDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 30_000,
  jitter: 'none' as const,
};

describe('retryDelayMs', () => {
  it('is the delay decideRetry uses, for any error, retryable or not, whatever the attempt budget', () => {
    const random = () => 0.5;
    for (const attempt of [1, 2, 3, 4, 8]) {
      const retryable = decideRetry(new ServerError('x', { status: 503 }), attempt, {
        ...policy,
        maxAttempts: 99,
      });
      expect(retryDelayMs(new ServerError('x', { status: 503 }), attempt, policy)).toBe(retryable.delayMs);
      expect(retryDelayMs(new ClientError('x', { status: 403 }), attempt, policy)).toBe(retryable.delayMs);
    }
    expect(
      [1, 2, 3, 7].map((n) => retryDelayMs(new Error('x'), n, { ...policy, jitter: 'equal' }, random)),
    ).toEqual([375, 750, 1_500, 22_500]);
    expect(retryDelayMs(new Error('x'), 40, policy)).toBe(30_000);
    expect(retryDelayMs(new RateLimitedError('x', { retryAfterMs: 45_000 }), 1, policy)).toBe(45_000);
  });
});

describe('decideRetry', () => {
  it.each([
    ['ServerError', new ServerError('x', { status: 503 }), true],
    ['ConnectionError', new ConnectionError('x', { errorCode: 'ECONNRESET' }), true],
    ['TimeoutError', new TimeoutError('x'), true],
    ['RateLimitedError', new RateLimitedError('x', { status: 429 }), true],
    ['ClientError', new ClientError('x', { status: 403 }), false],
    ['FeedGoneError', new FeedGoneError('x', { status: 400 }), false],
    ['AbortedError', new AbortedError('x'), false],
    ['UnauthorizedError', new UnauthorizedError('x', { status: 401 }), false],
    ['a plain Error', new Error('x'), false],
  ])('%s → retry=%s', (_name, error, retry) => {
    expect(decideRetry(error, 1, policy).retry).toBe(retry);
  });

  it.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
  ])('attempt %i without jitter waits %i ms', (attempt, delayMs) => {
    expect(decideRetry(new ServerError('x'), attempt, policy)).toEqual({ retry: true, delayMs });
  });

  it('stops when the attempt budget is used', () => {
    expect(decideRetry(new ServerError('x'), 5, policy)).toEqual({ retry: false, delayMs: 0 });
    expect(decideRetry(new ServerError('x'), 4, policy).retry).toBe(true);
  });

  it('caps the backoff at maxDelayMs, also for huge attempt numbers with maxAttempts Infinity', () => {
    const infinite = { ...policy, maxAttempts: Number.POSITIVE_INFINITY };
    expect(decideRetry(new ServerError('x'), 20, infinite)).toEqual({ retry: true, delayMs: 30_000 });
    expect(decideRetry(new ServerError('x'), 5000, infinite)).toEqual({ retry: true, delayMs: 30_000 });
  });

  it('full jitter spans [0, backoff], equal jitter [backoff/2, backoff]', () => {
    const err = new ServerError('x');
    expect(decideRetry(err, 3, { ...policy, jitter: 'full' }, () => 0).delayMs).toBe(0);
    expect(decideRetry(err, 3, { ...policy, jitter: 'full' }, () => 0.999999).delayMs).toBe(2000);
    expect(decideRetry(err, 3, { ...policy, jitter: 'equal' }, () => 0).delayMs).toBe(1000);
    expect(decideRetry(err, 3, { ...policy, jitter: 'equal' }, () => 0.5).delayMs).toBe(1500);
  });

  it('waits at least Retry-After, even beyond the cap', () => {
    const limited = new RateLimitedError('x', { status: 429, retryAfterMs: 45_000 });
    expect(decideRetry(limited, 1, policy)).toEqual({ retry: true, delayMs: 45_000 });
    const short = new RateLimitedError('x', { status: 400, retryAfterMs: 100 });
    expect(decideRetry(short, 3, policy)).toEqual({ retry: true, delayMs: 2000 });
  });

  it('has a bounded default policy', () => {
    expect(Number.isFinite(DEFAULT_RETRY_POLICY.maxAttempts)).toBe(true);
    expect(decideRetry(new ServerError('x'), DEFAULT_RETRY_POLICY.maxAttempts).retry).toBe(false);
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('abortableSleep', () => {
  it('rejects with AbortedError when the signal fires mid-wait', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(sleeping).rejects.toBeInstanceOf(AbortedError);
  });

  it('rejects at once on an already-aborted signal and resolves otherwise', async () => {
    await expect(abortableSleep(10, AbortSignal.abort())).rejects.toBeInstanceOf(AbortedError);
    await expect(abortableSleep(5)).resolves.toBeUndefined();
  });
});
