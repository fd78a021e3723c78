import { BatonError } from '../errors/baton-error.ts';

/**
 * A mailbox entry that does not match QueuedEventSchema. It still sits at the head of its mailbox: dead-letter
 * `raw`, then `ack(streamId, seq ?? -1, token)` removes it (an entry whose seq cannot be read acks with -1).
 */
export class CorruptEntryError extends BatonError {
  constructor(
    readonly streamId: string,
    readonly raw: string,
    readonly seq: number | null,
    readonly reason: string,
  ) {
    super(
      'CORRUPT_ENTRY',
      `corrupt mailbox entry in stream ${streamId} (seq ${seq ?? 'unknown'}): ${reason}`,
    );
  }
}
