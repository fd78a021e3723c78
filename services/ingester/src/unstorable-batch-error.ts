import { BatonError, serializeError } from '@baton/shared';

/**
 * A stage of the read loop failed on what it was given, not on Redis (see `isUnstorableInput`): retrying the
 * same input cannot succeed. The read loop dead-letters the batch instead of retrying it forever.
 */
export class UnstorableBatchError extends BatonError {
  readonly stage: string;

  constructor(stage: string, cause: unknown) {
    const { name, message } = serializeError(cause);
    super(
      'INGEST_UNSTORABLE_BATCH',
      `${stage}: the input cannot be stored (${name}: ${message.slice(0, 500)})`,
      {
        cause,
      },
    );
    this.stage = stage;
  }
}
