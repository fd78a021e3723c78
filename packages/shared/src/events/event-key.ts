import { createHash } from 'node:crypto';
import type { BatonEvent } from './baton-event.ts';
import { canonicalJson } from './canonical-json.ts';
import { orderingKeyOf } from './ordering-key.ts';

const HASH_CHARS = 16;

/**
 * The dedup / idempotency key of an event. Symphony gives simultaneous events the same `id`, so the key adds the
 * type, the message id, the ordering key and a short sha256 of the canonical (key-sorted) JSON of the normalised
 * payload: `<type>:<id>:<messageId|->:<orderingKey>:<16 hex>`. The hash also covers the other parts, so the key
 * stays unambiguous even though ids may contain `:`.
 */
export function eventKey(event: BatonEvent): string {
  const orderingKey = orderingKeyOf(event);
  const messageId = event.messageId ?? '-';
  const hash = createHash('sha256')
    .update(canonicalJson([event.type, event.id, messageId, orderingKey, event.payload]))
    .digest('hex')
    .slice(0, HASH_CHARS);
  return `${event.type}:${event.id}:${messageId}:${orderingKey}:${hash}`;
}
