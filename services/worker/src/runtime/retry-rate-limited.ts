import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitedError } from '@baton/shared';
import type { SendLimiter } from './send-limiter.ts';

/** How a sender meets a 429 (the options of idempotent replies and updates carry both). */
export interface RateLimitPolicy {
  /** The stream's send bucket: backed off by the Retry-After of a failure that has one. */
  limiter?: SendLimiter;
  /** Retry-After of a 429 that survived the client's own retries (e.g. `RateLimitedError.retryAfterMs`). */
  retryAfterOf?: (err: unknown) => number | undefined;
}

/**
 * Makes a call to `streamId` that is never re-sent blindly (a post, an update): only a 429 (the pod refused it,
 * so nothing happened) is retried, after its Retry-After (at least 250 ms), 5 times at most. Any other failure
 * (timeout, reset, 5xx) may hide a call that went through, so it is thrown: the next attempt finds the effect's
 * `started` mark and looks for it before calling again. `afterWait` runs after each wait, before the call is
 * made again, and may throw to give up (an ownership check).
 */
export async function retryRateLimited<T>(
  streamId: string,
  call: () => Promise<T>,
  policy: RateLimitPolicy,
  afterWait?: () => Promise<void>,
): Promise<T> {
  for (let rateLimited = 0; ; rateLimited++) {
    try {
      return await call();
    } catch (err) {
      const retryAfter = policy.retryAfterOf?.(err);
      if (retryAfter !== undefined && policy.limiter) await policy.limiter.backOff(streamId, retryAfter);
      if (!(err instanceof RateLimitedError) || rateLimited >= 5) throw err;
      await sleep(Math.max(err.retryAfterMs ?? 0, 250));
      await afterWait?.();
    }
  }
}
