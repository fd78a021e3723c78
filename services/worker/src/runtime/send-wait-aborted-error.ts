import { BatonError } from '@baton/shared';

/**
 * A send gave up waiting for the per-stream send limiter because its signal fired (the worker is shutting down):
 * nothing was posted, so the event can be handled again by whichever worker takes the stream next.
 */
export class SendWaitAbortedError extends BatonError {
  constructor(
    readonly streamId: string,
    options?: { cause?: unknown },
  ) {
    super('SEND_WAIT_ABORTED', `stopped waiting for the send limiter of stream ${streamId}`, options);
  }
}
