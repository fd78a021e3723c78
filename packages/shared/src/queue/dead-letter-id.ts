import { createHash } from 'node:crypto';

/**
 * The one id scheme of dead letters, used as the BullMQ job id (so writing the same dead letter twice, after a
 * retried batch or a redelivered event, stores it once): `dl-` + 32 hex of a sha256 of the event key when there
 * is one, else of the stream and the raw value's sha256. (BullMQ job ids must not contain `:` nor be all digits.)
 */
export function deadLetterId(entry: { key?: string; streamId?: string; rawSha256: string }): string {
  const seed =
    entry.key !== undefined ? `key\n${entry.key}` : `raw\n${entry.streamId ?? ''}\n${entry.rawSha256}`;
  return `dl-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}
