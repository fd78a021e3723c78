import type { Logger } from '@baton/shared';
import { AbortedError, decideRetry, isRetryable, RateLimitedError } from '@baton/shared';
import type { IngesterMetrics } from './ingester-metrics.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';

export interface RetryForeverOptions {
  label: string;
  signal: AbortSignal;
  logger: Logger;
  metrics: IngesterMetrics;
  /** Cap of the backoff (ms). Retry-After is honoured even above it. */
  maxDelayMs?: number;
  random?: () => number;
}

export function errorClass(err: unknown): string {
  return err instanceof Error ? err.name || 'Error' : typeof err;
}

/** Jittered exponential delay after `attempt` failures, honouring Retry-After, for any error class. */
export function backoffDelay(
  err: unknown,
  attempt: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  const policy = { maxAttempts: Number.POSITIVE_INFINITY, initialDelayMs: 250, multiplier: 2, maxDelayMs };
  if (isRetryable(err)) return decideRetry(err, attempt, policy, random).delayMs;
  // Not retryable by the client's rules (403, a 401 after re-auth, Redis errors...): the loop must never give
  // up, so wait with the same backoff and try again.
  const base = Math.min(maxDelayMs, 250 * 2 ** Math.min(attempt - 1, 20));
  const delay = base / 2 + (random() * base) / 2;
  const retryAfter = err instanceof RateLimitedError ? (err.retryAfterMs ?? 0) : 0;
  return Math.round(Math.max(delay, retryAfter));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError('aborted'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, waiting a jittered backoff between attempts; never gives up. Stops only when
 * `signal` aborts (rejects with AbortedError) or `fn` throws LeadershipLostError (rethrown).
 */
export async function retryForever<T>(fn: () => Promise<T>, opts: RetryForeverOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LeadershipLostError) throw err;
      if (opts.signal.aborted) throw new AbortedError('aborted', { cause: err });
      const delayMs = backoffDelay(err, attempt, opts.maxDelayMs ?? 30_000, opts.random);
      opts.metrics.errors.inc({ class: errorClass(err) });
      opts.logger.warn(
        {
          stage: opts.label,
          attempt,
          delayMs,
          err: { name: errorClass(err), message: (err as Error)?.message },
        },
        'retrying',
      );
      await sleep(delayMs, opts.signal);
    }
  }
}

export { sleep as abortableDelay };
