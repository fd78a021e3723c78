import type { BatonEvent } from './baton-event.ts';
import { describeIssues } from './describe-issues.ts';
import { EVENT_SCHEMAS } from './event-schemas.ts';
import { isEventType, PAYLOAD_KEY_BY_TYPE } from './event-types.ts';
import { DEFAULT_JSON_BOUNDS, exceedsJsonBounds, type JsonBounds } from './json-bounds.ts';

/** An event Baton cannot handle: kept (never dropped, never thrown) with the reason, for logs and the DLQ. */
export interface InvalidEvent {
  readonly ok: false;
  /** Readable, e.g. `payload.messageSent.message.stream.streamId: expected string, received number`. */
  readonly reason: string;
  /** The input exactly as given. */
  readonly raw: unknown;
  /** The envelope's `type` and `id` when they were readable strings (for logging). */
  readonly type?: string;
  readonly id?: string;
}

export type ParsedEvent = { readonly ok: true; readonly event: BatonEvent } | InvalidEvent;

const MAX_LOGGED_FIELD = 100;

function readableField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value.slice(0, MAX_LOGGED_FIELD) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(raw: unknown, reason: string, record?: Record<string, unknown>): InvalidEvent {
  const type = record ? readableField(record, 'type') : undefined;
  const id = record ? readableField(record, 'id') : undefined;
  return {
    ok: false,
    reason,
    raw,
    ...(type === undefined ? {} : { type }),
    ...(id === undefined ? {} : { id }),
  };
}

/** The two user ids a MESSAGESENT carries: the docs say they are the same user, the sender. */
function senderMismatch(event: BatonEvent): string | undefined {
  if (event.type !== 'MESSAGESENT') return undefined;
  const initiator = event.initiator.user.userId;
  const sender = event.payload.messageSent.message.user.userId;
  if (initiator === sender) return undefined;
  return `initiator.user.userId: ${initiator} is not the message's sender payload.messageSent.message.user.userId ${sender}`;
}

/**
 * Validates and normalises one real-time event, as the feed's JSON gives it: an object (a string is refused,
 * never decoded as JSON a second time). Never throws: anything Baton cannot handle (unknown `type`, payload key
 * not matching the type, a field of the wrong type, oversized or absurdly nested input, any rule of
 * docs/event-model.md) comes back as an `InvalidEvent` with a readable reason.
 */
export function parseEvent(raw: unknown, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): ParsedEvent {
  if (typeof raw === 'string') {
    return invalid(
      raw,
      'event: expected an object, got a string (an event is never decoded from JSON text twice)',
    );
  }
  const value = raw;
  const tooBig = exceedsJsonBounds(value, bounds);
  if (tooBig !== undefined) return invalid(raw, `event: ${tooBig}`);
  if (!isRecord(value)) return invalid(raw, 'event: expected an object');

  const type = value['type'];
  if (typeof type !== 'string') return invalid(raw, 'type: expected string', value);
  if (!isEventType(type)) {
    return invalid(raw, `type: unknown event type ${JSON.stringify(type.slice(0, MAX_LOGGED_FIELD))}`, value);
  }

  const expectedKey = PAYLOAD_KEY_BY_TYPE[type];
  const payload = value['payload'];
  if (!isRecord(payload)) return invalid(raw, 'payload: expected an object', value);
  const keys = Object.keys(payload);
  if (keys.length !== 1 || keys[0] !== expectedKey) {
    const found = keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, MAX_LOGGED_FIELD)));
    return invalid(
      raw,
      `payload: a ${type} event needs exactly one key "${expectedKey}", found [${found.join(', ')}]`,
      value,
    );
  }

  const result = EVENT_SCHEMAS[type].safeParse(value);
  if (!result.success) return invalid(raw, describeIssues(result.error.issues), value);
  const event = result.data as BatonEvent;
  const mismatch = senderMismatch(event);
  if (mismatch !== undefined) return invalid(raw, mismatch, value);
  return { ok: true, event };
}
