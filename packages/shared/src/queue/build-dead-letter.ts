import { boundRawEvent } from './bound-raw-event.ts';
import {
  DEAD_LETTER_TEXT_LIMITS,
  DEAD_LETTER_VERSION,
  type DeadLetterV2,
  DeadLetterV2Schema,
} from './dead-letter.ts';
import { deadLetterError } from './dead-letter-error.ts';

/** What a writer says about a failed event; `buildDeadLetter` makes the stored entry of it. */
export interface DeadLetterInput {
  /** `ingest`: invalid input, never replayable. `handle`: the bot failed on a valid event (replayable). */
  stage: 'ingest' | 'handle';
  /** Why, in words (cut to 2,000 characters). */
  reason: string;
  streamId?: string;
  /** The event's idempotency key (`task-<jobId>` for a scheduled task); seeds the id. */
  key?: string;
  /** The event as received: untrusted, any shape or size. */
  raw: unknown;
  /** The final error: anything thrown, or a `serializeError` result. Redacted and bounded on write. */
  error?: unknown;
  attempts?: number;
  /** Default: now. */
  failedAt?: number;
}

/**
 * The entry stored for `input`, validated against the current schema: the raw event bounded (`boundRawEvent`),
 * the error serialised and redacted (`deadLetterError`), the reason cut. Throws only on a bad `stage`,
 * `attempts` or `failedAt` (a caller's bug, never the input's).
 */
export function buildDeadLetter(input: DeadLetterInput): DeadLetterV2 {
  const raw = boundRawEvent(input.raw);
  const max = DEAD_LETTER_TEXT_LIMITS.reason;
  const reason = input.reason.length > max ? `${input.reason.slice(0, max - 1)}…` : input.reason;
  return DeadLetterV2Schema.parse({
    v: DEAD_LETTER_VERSION,
    stage: input.stage,
    reason,
    ...(input.streamId !== undefined ? { streamId: input.streamId } : {}),
    ...(input.key !== undefined ? { key: input.key } : {}),
    raw: raw.raw,
    rawSha256: raw.rawSha256,
    rawChars: raw.rawChars,
    rawTruncated: raw.rawTruncated,
    ...(input.error !== undefined ? { error: deadLetterError(input.error) } : {}),
    ...(input.attempts !== undefined ? { attempts: input.attempts } : {}),
    failedAt: input.failedAt ?? Date.now(),
  });
}
