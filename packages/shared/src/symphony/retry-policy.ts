import {
  ConnectionError,
  RateLimitedError,
  ServerError,
  type SymphonyError,
  TimeoutError,
} from './errors.ts';
import type { RetryPolicy } from './types.ts';

/** `full`: random in [0, backoff]; `equal`: backoff/2 + random in [0, backoff/2]; `none`: backoff. */
export type JitterMode = 'full' | 'equal' | 'none';

export interface RetryPolicyWithJitter extends RetryPolicy {
  jitter?: JitterMode;
  /**
   * Upper bound of a server's `Retry-After`, in ms (`SYMPHONY_RETRY_AFTER_MAX_MS`): a longer one is waited for
   * this long instead, and the client logs it. Default 60 000.
   */
  maxRetryAfterMs?: number;
}

/** Bounded by default: 5 attempts, 500 ms doubling, capped at 30 s, equal jitter, Retry-After capped at 60 s. */
export const DEFAULT_RETRY_POLICY: Readonly<Required<RetryPolicyWithJitter>> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 30_000,
  jitter: 'equal',
  maxRetryAfterMs: 60_000,
});

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

/**
 * A rate-limit error whose `Retry-After` exceeds `maxRetryAfterMs` comes back as an equal `RateLimitedError` whose
 * `retryAfterMs` is the cap (the original as its `cause`), with the requested wait in `cappedFromMs`; any other
 * error comes back as it is. Everything downstream (the retry wait, a caller's own back-off) sees the capped wait.
 */
export function capRetryAfter(
  error: unknown,
  maxRetryAfterMs: number = DEFAULT_RETRY_POLICY.maxRetryAfterMs,
): { error: unknown; cappedFromMs?: number } {
  if (!(error instanceof RateLimitedError)) return { error };
  const requested = error.retryAfterMs;
  if (requested === undefined || !(requested > maxRetryAfterMs)) return { error };
  const capped = new RateLimitedError(error.message, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.traceId !== undefined ? { traceId: error.traceId } : {}),
    ...(error.path !== undefined ? { path: error.path } : {}),
    cause: error,
    retryAfterMs: maxRetryAfterMs,
  });
  return { error: capped, cappedFromMs: requested };
}

/** Whether an error class is worth another attempt (ignoring the attempt budget). */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ServerError ||
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    error instanceof RateLimitedError
  );
}

/**
 * The wait after attempt number `attempt` (1-based) failed with `error`: exponential from `initialDelayMs`,
 * capped at `maxDelayMs`, jittered, and never shorter than the server's `Retry-After` (itself capped at
 * `maxRetryAfterMs`). Whether to retry at all is
 * `decideRetry`'s business; this is the one backoff formula (the ingester's never-give-up loops use it too).
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: Partial<RetryPolicyWithJitter> = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const p = { ...DEFAULT_RETRY_POLICY, ...policy };
  const exponential = p.initialDelayMs * p.multiplier ** Math.max(0, attempt - 1);
  const backoff = Math.min(p.maxDelayMs, Number.isFinite(exponential) ? exponential : p.maxDelayMs);
  let delayMs: number;
  switch (p.jitter) {
    case 'full':
      delayMs = random() * backoff;
      break;
    case 'equal':
      delayMs = backoff / 2 + (random() * backoff) / 2;
      break;
    default:
      delayMs = backoff;
  }
  const retryAfterMs = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(retryAfterMs, p.maxRetryAfterMs));
  return Math.round(delayMs);
}

/**
 * Pure retry decision after attempt number `attempt` (1-based) failed with `error`.
 * Retries 5xx, network, timeouts and rate limits; never client errors, gone feeds, aborts or 401s
 * (401 is handled by re-authentication). The delay is exponential with jitter, capped at `maxDelayMs`,
 * and never shorter than the server's `Retry-After`.
 */
export function decideRetry(
  error: SymphonyError | unknown,
  attempt: number,
  policy: Partial<RetryPolicyWithJitter> = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  const p = { ...DEFAULT_RETRY_POLICY, ...policy };
  if (!isRetryable(error) || attempt >= p.maxAttempts) return { retry: false, delayMs: 0 };
  return { retry: true, delayMs: retryDelayMs(error, attempt, p, random) };
}
