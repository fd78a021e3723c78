import { type ParsedEvent, parseEvent, type QueuedEvent, serializeError } from '@baton/shared';

/**
 * The event of a mailbox entry, validated again. The worker parses every event it pops, although the ingester
 * validated it before enqueueing: Redis is a trust boundary. An entry can come from a dead-letter replay
 * (`pnpm dlq replay` re-enqueues the stored raw event), from an ingester of another version, from a restored
 * backup or from someone writing to Redis by hand, and the bot's handlers rely on the typed `BatonEvent`.
 * Parsing is cheap (some 10–20 µs for a typical message, against several Redis round trips and a Symphony
 * post per event), so there is no switch to skip it. An event that fails is never handed to the bot: the caller
 * dead-letters it (stage `ingest`) and acks it.
 */
export function parseQueuedEvent(queued: QueuedEvent): ParsedEvent {
  try {
    return parseEvent(queued.event);
  } catch (err) {
    // parseEvent reports problems rather than throwing; should it ever throw, the entry is invalid all the same.
    return { ok: false, reason: `parse threw: ${serializeError(err).message}`, raw: queued.event };
  }
}
