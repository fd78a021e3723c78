import { setTimeout as sleep } from 'node:timers/promises';
import { defineScript } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import { SendWaitAbortedError } from './send-wait-aborted-error.ts';

/**
 * Token bucket in Redis (one key per stream), so the per-stream send rate holds across every worker replica.
 * The script uses the Redis clock (TIME), so replicas with skewed clocks share one notion of "now".
 * Returns 0 when a token was taken, else the milliseconds to wait before the next token.
 */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local st = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'blockedUntil')
local tokens = tonumber(st[1]) or burst
local ts = tonumber(st[2]) or now
local blocked = tonumber(st[3]) or 0
if blocked > now then return blocked - now end
tokens = math.min(burst, tokens + (now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return wait
`;

/** Pushes the whole bucket back until now + ms (after a 429 with Retry-After). */
const BLOCK_UNTIL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil')) or 0
if untilMs > cur then redis.call('HSET', KEYS[1], 'blockedUntil', untilMs, 'tokens', '0', 'ts', untilMs) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000)
return untilMs
`;

export interface SendLimiterOptions {
  /** Sustained messages per second per stream (Symphony's guidance: ≤ 2 in large rooms). */
  ratePerSec: number;
  /** Bucket size: messages that may go out back to back before the rate applies. */
  burst: number;
  keyOf: (streamId: string) => string;
  /** Called each time a send has to wait (metrics). */
  onThrottled?: (streamId: string, waitMs: number) => void;
  /** Upper bound for one wait (guards against a huge Retry-After). */
  maxWaitMs?: number;
  /**
   * Aborts every wait of this limiter, current and future (the worker's shutdown): a send that would have to
   * wait rejects at once; one whose token is free still goes out (the event in hand finishes if it can).
   */
  signal?: AbortSignal;
}

export interface SendLimiter {
  /**
   * Resolves when the stream may send one message (waits as long as the bucket asks). Rejects with
   * `SendWaitAbortedError` when it would have to wait, or is waiting, and `signal` or the limiter's own signal
   * has fired: a wait is cut short, never a free token refused.
   */
  acquire(streamId: string, signal?: AbortSignal): Promise<void>;
  /**
   * `acquire`, with `check` sent in the same round trip as the first take (the two run concurrently); when the
   * take had to wait, `check` runs again after the wait. Returns the result of the last `check`, the one that
   * ran after any wait (a drain's ownership check must hold right before the post).
   */
  acquireChecked<T>(streamId: string, check: () => Promise<T>): Promise<T>;
  /** Takes a token if one is free right now; returns the wait in ms otherwise (0 = granted). */
  tryAcquire(streamId: string): Promise<number>;
  /** Blocks the stream's sends for `ms` (a 429's Retry-After), for every replica. */
  backOff(streamId: string, ms: number): Promise<void>;
}

export function createSendLimiter(redis: Redis | Cluster, opts: SendLimiterOptions): SendLimiter {
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  // Defined commands go out as EVALSHA: the script text is not sent again with every reply.
  const takeToken = defineScript(redis, 'batonSendTakeTokenV1', TAKE_TOKEN);
  const blockUntil = defineScript(redis, 'batonSendBlockUntilV1', BLOCK_UNTIL);
  const tryAcquire = async (streamId: string): Promise<number> => {
    const wait = await takeToken(1, opts.keyOf(streamId), opts.ratePerSec, opts.burst);
    return Number(wait);
  };
  /** Waits out `firstWait`, then takes tokens until one is granted (the body of `acquire`). */
  async function waitForToken(streamId: string, firstWait: number, signal?: AbortSignal): Promise<void> {
    const signals = [opts.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    const stop = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const aborted = (cause?: unknown) => new SendWaitAbortedError(streamId, { cause: cause ?? stop?.reason });
    for (let wait = firstWait; wait > 0; wait = await tryAcquire(streamId)) {
      if (stop?.aborted) throw aborted();
      opts.onThrottled?.(streamId, wait);
      try {
        await sleep(Math.min(wait, maxWaitMs), undefined, stop ? { signal: stop } : undefined);
      } catch (err) {
        if (stop?.aborted) throw aborted(err);
        throw err;
      }
    }
  }
  return {
    tryAcquire,
    async acquire(streamId, signal) {
      await waitForToken(streamId, await tryAcquire(streamId), signal);
    },
    async acquireChecked(streamId, check) {
      const [wait, first] = await Promise.all([tryAcquire(streamId), check()]);
      if (wait <= 0) return first;
      await waitForToken(streamId, wait);
      return check();
    },
    async backOff(streamId, ms) {
      if (ms > 0) await blockUntil(1, opts.keyOf(streamId), Math.ceil(ms));
    },
  };
}
