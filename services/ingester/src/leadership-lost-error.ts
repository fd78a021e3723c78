import { BatonError } from '@baton/shared';

/** The lease was lost (or fenced) while this replica was reading: stop the session, store nothing. */
export class LeadershipLostError extends BatonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEADERSHIP_LOST', message, options);
  }
}
