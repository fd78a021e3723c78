/** Coded errors of the worker runtime: callers branch on the class (or `code`), never on the message. */

export class UnknownDeadLetterError extends Error {
  readonly code = 'DLQ_UNKNOWN';
  override readonly name = 'UnknownDeadLetterError';
  constructor(readonly id: string) {
    super(`no dead letter with id ${id}`);
  }
}

export class NotReplayableError extends Error {
  readonly code = 'DLQ_NOT_REPLAYABLE';
  override readonly name = 'NotReplayableError';
  constructor(
    readonly id: string,
    readonly why: string,
  ) {
    super(`dead letter ${id} cannot be replayed: ${why}`);
  }
}

/** A handler attempt ran longer than HANDLER_TIMEOUT_MS: it counts as a failed attempt (retried, then DLQ). */
export class HandlerTimeoutError extends Error {
  readonly code = 'HANDLER_TIMEOUT';
  override readonly name = 'HandlerTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
  }
}

/** A call through the services of an attempt that is over (timed out, failed or finished): refused. */
export class AttemptClosedError extends Error {
  readonly code = 'ATTEMPT_CLOSED';
  override readonly name = 'AttemptClosedError';
  constructor(readonly what: string) {
    super(`${what} refused: this handler attempt is over (it timed out or already ended)`);
  }
}

/** The drain lost its stream to another worker (its fencing token is no longer current): stop, post nothing. */
export class StaleDrainError extends Error {
  readonly code = 'STALE_DRAIN';
  override readonly name = 'StaleDrainError';
  constructor(readonly streamId: string) {
    super(`this drain no longer owns stream ${streamId}; another worker has taken it over`);
  }
}

/** Another sender started this reply and its message is not visible yet: retry the attempt later (not a bug). */
export class ReplyInDoubtError extends Error {
  readonly code = 'REPLY_IN_DOUBT';
  override readonly name = 'ReplyInDoubtError';
  constructor(
    readonly streamId: string,
    readonly replyIndex: number | string,
  ) {
    super(`reply ${String(replyIndex)} in stream ${streamId} was started by another sender; retrying later`);
  }
}

/** Live workers of another bot already drain this queue prefix: refuse to start (two bots never share a queue). */
export class BotConflictError extends Error {
  readonly code = 'BOT_CONFLICT';
  override readonly name = 'BotConflictError';
  constructor(
    readonly botId: string,
    readonly others: ReadonlyArray<{ workerId: string; botId: string }>,
  ) {
    const list = others.map((o) => `${o.workerId} runs "${o.botId}"`).join(', ');
    super(
      `refusing to start bot "${botId}": live workers of another bot use this queue prefix (${list}); give each bot its own REDIS_PREFIX`,
    );
  }
}
