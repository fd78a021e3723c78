import type { Logger } from '@baton/shared';
import { AbortedError, abortableSleep, retryDelayMs, serializeError } from '@baton/shared';
import type { IngesterMetrics } from './ingester-metrics.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';
import { UnstorableBatchError } from './unstorable-batch-error.ts';

export interface RetryForeverOptions {
  label: string;
  signal: AbortSignal;
  logger: Logger;
  metrics: IngesterMetrics;
  /** Cap of the backoff (ms). Retry-After is honoured even above it. */
  maxDelayMs?: number;
  random?: () => number;
  /**
   * Errors that say the input itself cannot be stored (`isUnstorableInput`): not retried, rethrown as
   * `UnstorableBatchError` for the caller to dead-letter what it can. Default: none (everything is retried).
   */
  unstorable?: (err: unknown) => boolean;
}

export function errorClass(err: unknown): string {
  return err instanceof Error ? err.name || 'Error' : typeof err;
}

/**
 * Jittered exponential delay after `attempt` failures (250 ms doubling, equal jitter, capped at `maxDelayMs`),
 * honouring Retry-After, for any error class: the Symphony client's formula (`retryDelayMs`), without its
 * retryable-or-not rule, since these loops never give up (a 403, a 401 after re-auth, a Redis error are waited
 * out the same way).
 */
export function backoffDelay(
  err: unknown,
  attempt: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  return retryDelayMs(
    err,
    attempt,
    { initialDelayMs: 250, multiplier: 2, maxDelayMs, jitter: 'equal' },
    random,
  );
}

/**
 * Runs `fn` until it succeeds, waiting a jittered backoff between attempts; never gives up on Redis or Symphony
 * being unavailable. Stops only when `signal` aborts (rejects with AbortedError), `fn` throws
 * LeadershipLostError (rethrown), or `fn` fails on its input (`opts.unstorable`: UnstorableBatchError).
 */
export async function retryForever<T>(fn: () => Promise<T>, opts: RetryForeverOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LeadershipLostError) throw err;
      if (opts.signal.aborted) throw new AbortedError('aborted', { cause: err });
      if (opts.unstorable?.(err)) {
        opts.metrics.errors.inc({ class: errorClass(err) });
        throw new UnstorableBatchError(opts.label, err);
      }
      const delayMs = backoffDelay(err, attempt, opts.maxDelayMs ?? 30_000, opts.random);
      opts.metrics.errors.inc({ class: errorClass(err) });
      opts.logger.warn(
        {
          stage: opts.label,
          attempt,
          delayMs,
          err: serializeError(err),
        },
        'retrying',
      );
      await abortableSleep(delayMs, opts.signal);
    }
  }
}
