import { BatonError } from '../errors/baton-error.ts';

/**
 * The coded errors of the Symphony client. Every failure of a client call is one of these classes;
 * callers branch on `instanceof` (or `code`), never on message text. `mapHttpError` (map-http-error.ts) is the
 * only place that turns an HTTP/network failure into one of them. Each subclass overrides `code`.
 */

export interface SymphonyErrorContext {
  status?: number;
  traceId?: string;
  /** Request path (no host, no query), e.g. `/agent/v5/datafeeds/abc_f/read`. */
  path?: string;
  cause?: unknown;
}

/** A Symphony failure no narrower class describes (e.g. an authentication answer without a token). */
export class SymphonyError extends BatonError {
  readonly status?: number;
  readonly traceId?: string;
  readonly path?: string;

  constructor(message: string, ctx: SymphonyErrorContext = {}) {
    super('SYMPHONY_ERROR', message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    if (ctx.status !== undefined) this.status = ctx.status;
    if (ctx.traceId !== undefined) this.traceId = ctx.traceId;
    if (ctx.path !== undefined) this.path = ctx.path;
  }
}

/** 401 from an API call that survived one re-authentication. */
export class UnauthorizedError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_UNAUTHORIZED';
}

/**
 * 401 from the authentication endpoints themselves (`/login/pubkey/authenticate`, `/relay/pubkey/authenticate`):
 * wrong bot username, key not imported, bad signature. Fatal: not retried.
 */
export class AuthenticationRejectedError extends UnauthorizedError {
  override readonly code: string = 'SYMPHONY_AUTHENTICATION_REJECTED';
}

/** 429, or a 400 carrying `Retry-After` (an agent maps downstream 429s to 400 + Retry-After). */
export class RateLimitedError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_RATE_LIMITED';
  /** Server-requested wait from `Retry-After`, in ms; undefined when the header is absent. */
  readonly retryAfterMs?: number;

  constructor(message: string, ctx: SymphonyErrorContext & { retryAfterMs?: number } = {}) {
    super(message, ctx);
    if (ctx.retryAfterMs !== undefined) this.retryAfterMs = ctx.retryAfterMs;
  }
}

/** 400 on a datafeed read/ack/delete: the feed is unknown or expired (30 min TTL), or the ackId is bad. */
export class FeedGoneError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_FEED_GONE';
}

/**
 * 403 on a v5 datafeed read (or create): the bot account has reached the agent's limit of 20 active feeds
 * (AG `POST /v5/datafeeds/{datafeedId}/read`: 403 "Too many feeds created"). The feed in hand cannot be read
 * until older feeds of the account are deleted. Not retried by the client; the ingester deletes the account's
 * other feeds and reads again (docs/ingester.md, "Too many feeds").
 */
export class FeedLimitError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_FEED_LIMIT';
  declare readonly status: number;
}

/**
 * A message (MessageML + EntityJSON `data`) larger than Symphony accepts (1.5 MB, `limitBytes`): refused before
 * the call when its size is known to be over (`status` undefined, nothing was sent), or by the agent (`status`
 * 400 or 413, its answer naming the `message-content-max-total-size` limit). The same message can never be
 * sent: not retried; the worker dead-letters the event at once (docs/worker.md).
 */
export class MessageTooLargeError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_MESSAGE_TOO_LARGE';
  readonly limitBytes: number;
  /** message + data in UTF-8 bytes, when the client measured it (refused before the call). */
  readonly sizeBytes?: number;

  constructor(message: string, ctx: SymphonyErrorContext & { limitBytes: number; sizeBytes?: number }) {
    super(message, ctx);
    this.limitBytes = ctx.limitBytes;
    if (ctx.sizeBytes !== undefined) this.sizeBytes = ctx.sizeBytes;
  }
}

/** Any other 4xx. `bodyCode`/`message` come from the `{code, message}` error body when present. */
export class ClientError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_CLIENT_ERROR';
  declare readonly status: number;
  /** The `code` field of the error body (usually the HTTP status again), if any. */
  readonly bodyCode?: number | string;
  /** The `details` field of an agent V2Error body, if any. */
  readonly details?: unknown;

  constructor(
    message: string,
    ctx: SymphonyErrorContext & { status: number; bodyCode?: number | string; details?: unknown },
  ) {
    super(message, ctx);
    if (ctx.bodyCode !== undefined) this.bodyCode = ctx.bodyCode;
    if (ctx.details !== undefined) this.details = ctx.details;
  }
}

/**
 * A 400, 403 or 404 on a message update: Symphony refused to update that message (not found in the stream, sent
 * by someone else, deleted, already replaced by a newer version, or invalid MessageML). Not retried.
 */
export class MessageUpdateRefusedError extends ClientError {
  override readonly code: string = 'SYMPHONY_UPDATE_REFUSED';
}

/** 5xx. */
export class ServerError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_SERVER_ERROR';
  declare readonly status: number;
}

/** Network failure before a response: refused, reset, DNS, TLS (certificate) errors. */
export class ConnectionError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_CONNECTION_FAILED';
  /** The system / TLS error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly errorCode?: string;

  constructor(message: string, ctx: SymphonyErrorContext & { errorCode?: string } = {}) {
    super(message, ctx);
    if (ctx.errorCode !== undefined) this.errorCode = ctx.errorCode;
  }
}

/** No response within the call's timeout. */
export class TimeoutError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_TIMEOUT';
  readonly timeoutMs?: number;

  constructor(message: string, ctx: SymphonyErrorContext & { timeoutMs?: number } = {}) {
    super(message, ctx);
    if (ctx.timeoutMs !== undefined) this.timeoutMs = ctx.timeoutMs;
  }
}

/** The caller's AbortSignal fired (during the request or during a retry wait). */
export class AbortedError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_ABORTED';
}

/**
 * Outgoing attachments that break Symphony's documented limits (too many files, too many bytes in total, a file
 * name without an extension, a type the caller's allow-list refuses), found **before** the call: nothing was
 * sent. `reason` says which limit (`count`, `total-size`, `name`, `type`).
 */
export class AttachmentLimitError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_ATTACHMENT_LIMIT';
  readonly reason: 'count' | 'total-size' | 'name' | 'type';

  constructor(message: string, reason: AttachmentLimitError['reason']) {
    super(message);
    this.reason = reason;
  }
}

/**
 * An attachment larger than the download's bound (`maxBytes`): its declared size (refused before the call) or
 * the bytes the agent sent (the read is cut off at the bound). Not retried.
 */
export class AttachmentTooLargeError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_ATTACHMENT_TOO_LARGE';
  readonly maxBytes: number;

  constructor(message: string, ctx: SymphonyErrorContext & { maxBytes: number }) {
    super(message, ctx);
    this.maxBytes = ctx.maxBytes;
  }
}

/**
 * A response body larger than the call allows (`maxResponseBytes`; 64 MiB at most): the transport stopped
 * reading at the limit. Not retried (the same body would come again).
 */
export class ResponseTooLargeError extends SymphonyError {
  override readonly code: string = 'SYMPHONY_RESPONSE_TOO_LARGE';
  readonly limitBytes: number;

  constructor(message: string, ctx: SymphonyErrorContext & { limitBytes: number }) {
    super(message, ctx);
    this.limitBytes = ctx.limitBytes;
  }
}
