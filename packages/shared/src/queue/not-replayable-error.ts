import { BatonError } from '../errors/baton-error.ts';

/**
 * A dead letter `replay` cannot put back: unreadable, invalid input (stage `ingest`), stored as an excerpt,
 * or nowhere to put it.
 */
export class NotReplayableError extends BatonError {
  constructor(
    readonly id: string,
    readonly why: string,
  ) {
    super('DLQ_NOT_REPLAYABLE', `dead letter ${id} cannot be replayed: ${why}`);
  }
}
