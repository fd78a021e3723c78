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
