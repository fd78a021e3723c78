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
