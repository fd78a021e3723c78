import { randomBytes } from 'node:crypto';

/** Stream and message ids: 25 random bytes as URL-safe base64 without padding (34 chars), as Symphony's API. */
export function newStreamOrMessageId(): string {
  return randomBytes(25).toString('base64url');
}

/** Event ids are short random strings (e.g. `9rc1dr`). */
export function newEventId(): string {
  return randomBytes(6).toString('base64url').slice(0, 6);
}

/** Datafeed v2 ids: 32 hex chars + `_f` (matches the BDKs' fanout feed pattern). */
export function newV2FeedId(): string {
  return `${randomBytes(16).toString('hex')}_f`;
}

/** Datafeed v1 ids: opaque strings. */
export function newV1FeedId(): string {
  return randomBytes(18).toString('hex');
}

export function newAckId(): string {
  return randomBytes(24).toString('base64url');
}

export function newToken(bytes = 64): string {
  return randomBytes(bytes).toString('hex');
}

/** First user id; later users are `FIRST_USER_ID + n` (int64 values that still fit a JS number). */
export const FIRST_USER_ID = 13056700580915;
