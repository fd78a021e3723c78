import { BatonError } from '@baton/shared';

/**
 * A drain gave up waiting for Baton's Redis to answer again because the worker is shutting down: the event was
 * neither acked nor counted as an attempt, so whichever worker takes the stream next handles it.
 */
export class RedisWaitAbortedError extends BatonError {
  constructor(
    readonly streamId: string,
    options?: { cause?: unknown },
  ) {
    super(
      'REDIS_WAIT_ABORTED',
      `stopped waiting for Redis to answer (stream ${streamId}): the worker is stopping`,
      options,
    );
  }
}
