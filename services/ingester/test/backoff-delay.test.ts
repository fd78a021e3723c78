import { ClientError, RateLimitedError, ServerError } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/retry-forever.ts';

const half = () => 0.5;

describe('backoffDelay (the never-give-up loops)', () => {
  it('waits 250 ms doubling with equal jitter, capped, for retryable and non-retryable errors alike', () => {
    const expected = [188, 375, 750, 1_500, 3_000, 6_000, 7_500, 7_500];
    for (const err of [
      new ServerError('x', { status: 503 }),
      new ClientError('x', { status: 403 }),
      new Error(),
    ]) {
      expect(expected.map((_, i) => backoffDelay(err, i + 1, 10_000, half))).toEqual(expected);
    }
    expect(backoffDelay(new Error(), 1, 10_000, () => 0)).toBe(125);
    expect(backoffDelay(new Error(), 1, 10_000, () => 1)).toBe(250);
    expect(backoffDelay(new Error(), 500, 30_000, half)).toBe(22_500);
  });

  it('honours Retry-After even above the cap', () => {
    expect(backoffDelay(new RateLimitedError('x', { retryAfterMs: 60_000 }), 1, 30_000, half)).toBe(60_000);
    expect(backoffDelay(new RateLimitedError('x', { retryAfterMs: 10 }), 3, 30_000, half)).toBe(750);
  });
});
