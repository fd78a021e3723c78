import { BatonError } from '../errors/baton-error.ts';

/** `show|replay|drop <id>` named an id the DLQ does not hold (gone, or never there). */
export class UnknownDeadLetterError extends BatonError {
  constructor(readonly id: string) {
    super('DLQ_UNKNOWN', `no dead letter with id ${id}`);
  }
}
