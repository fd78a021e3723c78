import type { Logger } from 'pino';
import { abortableSleep } from './abortable-sleep.ts';
import { type RateLimitedError, SymphonyError } from './errors.ts';
import {
  capRetryAfter,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryPolicyWithJitter,
} from './retry-policy.ts';

export interface RetryLoopOptions {
  policy: Partial<RetryPolicyWithJitter>;
  logger: Logger;
  path: string;
  traceId: string;
  signal?: AbortSignal;
  random?: () => number;
}

/**
 * Runs `attemptFn` until it succeeds or `decideRetry` says stop; waits between attempts (abortable by
 * `signal`) and logs each retry at warn with `{path, status, attempt, delayMs, traceId}`. A `Retry-After` above
 * the policy's `maxRetryAfterMs` is capped (`capRetryAfter`) and logged at warn, whether or not the call is
 * retried here: the error a caller gets carries the capped wait.
 */
export async function callWithRetry<T>(
  attemptFn: (attempt: number) => Promise<T>,
  opts: RetryLoopOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptFn(attempt);
    } catch (thrown) {
      const { error, cappedFromMs } = capRetryAfter(
        thrown,
        opts.policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
      );
      if (cappedFromMs !== undefined) {
        opts.logger.warn(
          {
            path: error instanceof SymphonyError && error.path ? error.path : opts.path,
            retryAfterMs: cappedFromMs,
            cappedAtMs: (error as RateLimitedError).retryAfterMs,
            traceId: error instanceof SymphonyError && error.traceId ? error.traceId : opts.traceId,
          },
          'Retry-After above the cap (SYMPHONY_RETRY_AFTER_MAX_MS): waiting the cap instead',
        );
      }
      const decision = decideRetry(error, attempt, opts.policy, opts.random);
      if (!decision.retry) throw error;
      opts.logger.warn(
        {
          path: error instanceof SymphonyError && error.path ? error.path : opts.path,
          status: error instanceof SymphonyError ? error.status : undefined,
          error: error instanceof Error ? error.name : 'unknown',
          attempt,
          delayMs: decision.delayMs,
          traceId: error instanceof SymphonyError && error.traceId ? error.traceId : opts.traceId,
        },
        'symphony call failed, retrying',
      );
      await abortableSleep(decision.delayMs, opts.signal);
    }
  }
}
