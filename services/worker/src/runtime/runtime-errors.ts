import { BatonError } from '@baton/shared';

// Coded errors of the worker runtime (`BatonError`s): callers branch on the class (or `code`), never on the
// message. Every code is listed in docs/errors.md.

// The DLQ's own errors live with it in @baton/shared (queue); re-exported for the worker's callers.
export { NotReplayableError, UnknownDeadLetterError } from '@baton/shared';

/** A handler attempt ran longer than HANDLER_TIMEOUT_MS: it counts as a failed attempt (retried, then DLQ). */
export class HandlerTimeoutError extends BatonError {
  constructor(readonly timeoutMs: number) {
    super('HANDLER_TIMEOUT', `handler did not finish within ${timeoutMs} ms`);
  }
}

/** A call through the services of an attempt that is over (timed out, failed or finished): refused. */
export class AttemptClosedError extends BatonError {
  constructor(readonly what: string) {
    super('ATTEMPT_CLOSED', `${what} refused: this handler attempt is over (it timed out or already ended)`);
  }
}

/** The drain lost its stream to another worker (its fencing token is no longer current): stop, post nothing. */
export class StaleDrainError extends BatonError {
  constructor(readonly streamId: string) {
    super('STALE_DRAIN', `this drain no longer owns stream ${streamId}; another worker has taken it over`);
  }
}

/** Another sender started this reply and its message is not visible yet: retry the attempt later (not a bug). */
export class ReplyInDoubtError extends BatonError {
  constructor(
    readonly streamId: string,
    readonly replyIndex: number | string,
  ) {
    super(
      'REPLY_IN_DOUBT',
      `reply ${String(replyIndex)} in stream ${streamId} was started by another sender; retrying later`,
    );
  }
}

/** Live workers of another bot already drain this queue prefix: refuse to start (two bots never share a queue). */
export class BotConflictError extends BatonError {
  constructor(
    readonly botId: string,
    readonly others: ReadonlyArray<{ workerId: string; botId: string }>,
  ) {
    const list = others.map((o) => `${o.workerId} runs "${o.botId}"`).join(', ');
    super(
      'BOT_CONFLICT',
      `refusing to start bot "${botId}": live workers of another bot use this queue prefix (${list}); give each bot its own BATON_PREFIX`,
    );
  }
}
