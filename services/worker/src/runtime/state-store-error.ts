import { BotFrameworkError } from '@baton/bot';

/** Why the Redis state store refused or lost an operation. */
export type StateStoreErrorCode = 'STATE_KEY_SLOT' | 'STATE_TX_ABORTED';

/**
 * A state operation the Redis store could not do: a key whose once-marks cannot share its Cluster slot
 * (`STATE_KEY_SLOT`, a bug in the key), or a transaction Redis aborted (`STATE_TX_ABORTED`, retried with the
 * attempt). A `BotFrameworkError`, as the bot's handler is the one that sees it.
 */
export class StateStoreError extends BotFrameworkError {
  declare readonly code: StateStoreErrorCode;
  constructor(code: StateStoreErrorCode, message: string) {
    super(code, message);
  }
}
