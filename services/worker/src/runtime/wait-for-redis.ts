import { setTimeout as sleep } from 'node:timers/promises';
import { type Logger, withTimeout } from '@baton/shared';
import type { OwnershipGuard } from './idempotent-replies.ts';
import type { RedisAvailability } from './redis-availability.ts';
import { RedisWaitAbortedError } from './redis-wait-aborted-error.ts';
import { StaleDrainError } from './runtime-errors.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** Backoff between probes while Redis is unavailable: 250 ms doubling, capped at 5 s. */
export const REDIS_WAIT_FIRST_MS = 250;
export const REDIS_WAIT_MAX_MS = 5_000;

export interface RedisWaitOptions {
  availability: RedisAvailability;
  /** Whether the drain still owns its stream (read in the stream's own slot: the probe of that slot too). */
  owns: OwnershipGuard;
  streamId: string;
  /** The worker's shutdown: ends the wait with RedisWaitAbortedError. */
  signal?: AbortSignal;
  log: Logger;
  metrics: Pick<WorkerMetrics, 'waitingForRedis' | 'redisWaitSeconds'>;
  /** How many times this event already waited (the backoff starts further along: a Redis that keeps refusing). */
  round?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Waits until Baton's Redis answers again (every master PINGs, and the stream's fencing token reads back as
 * this drain's), with a bounded backoff; the stream keeps its place meanwhile. Throws StaleDrainError when
 * the stream was taken over while Redis was away, RedisWaitAbortedError when the worker stops first.
 */
export async function waitForRedis(opts: RedisWaitOptions): Promise<void> {
  const first = opts.firstDelayMs ?? REDIS_WAIT_FIRST_MS;
  const max = opts.maxDelayMs ?? REDIS_WAIT_MAX_MS;
  let delay = Math.min(max, first * 2 ** Math.min(opts.round ?? 0, 20));
  const startedAt = Date.now();
  opts.metrics.waitingForRedis.inc();
  try {
    for (;;) {
      try {
        await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
      } catch (err) {
        throw new RedisWaitAbortedError(opts.streamId, { cause: err });
      }
      if (await opts.availability.probe()) {
        const owns = await withTimeout(opts.owns(), max, () => new Error('ownership read timed out')).then(
          (held) => held,
          () => undefined, // Redis went away again: keep waiting
        );
        if (owns === false) throw new StaleDrainError(opts.streamId);
        if (owns === true) {
          opts.log.info({ waitedMs: Date.now() - startedAt }, 'Redis answers again: retrying the attempt');
          return;
        }
      }
      delay = Math.min(max, delay * 2);
    }
  } finally {
    opts.metrics.waitingForRedis.dec();
    opts.metrics.redisWaitSeconds.inc((Date.now() - startedAt) / 1000);
  }
}
