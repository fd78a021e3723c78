/**
 * The coded errors of the Symphony client. Every failure of a client call is one of these classes;
 * callers branch on `instanceof`, never on message text. `mapHttpError` (map-http-error.ts) is the only
 * place that turns an HTTP/network failure into one of them.
 */

export interface SymphonyErrorContext {
  status?: number;
  traceId?: string;
  /** Request path (no host, no query), e.g. `/agent/v5/datafeeds/abc_f/read`. */
  path?: string;
  cause?: unknown;
}

export class SymphonyError extends Error {
  override readonly name: string = 'SymphonyError';
  readonly status?: number;
  readonly traceId?: string;
  readonly path?: string;

  constructor(message: string, ctx: SymphonyErrorContext = {}) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    if (ctx.status !== undefined) this.status = ctx.status;
    if (ctx.traceId !== undefined) this.traceId = ctx.traceId;
    if (ctx.path !== undefined) this.path = ctx.path;
  }
}

/** 401 from an API call that survived one re-authentication. */
export class UnauthorizedError extends SymphonyError {
  override readonly name: string = 'UnauthorizedError';
}

/**
 * 401 from the authentication endpoints themselves (`/login/pubkey/authenticate`, `/relay/pubkey/authenticate`):
 * wrong bot username, key not imported, bad signature. Fatal: not retried.
 */
export class AuthenticationRejectedError extends UnauthorizedError {
  override readonly name: string = 'AuthenticationRejectedError';
}

/** 429, or a 400 carrying `Retry-After` (an agent maps downstream 429s to 400 + Retry-After). */
export class RateLimitedError extends SymphonyError {
  override readonly name: string = 'RateLimitedError';
  /** Server-requested wait from `Retry-After`, in ms; undefined when the header is absent. */
  readonly retryAfterMs?: number;

  constructor(message: string, ctx: SymphonyErrorContext & { retryAfterMs?: number } = {}) {
    super(message, ctx);
    if (ctx.retryAfterMs !== undefined) this.retryAfterMs = ctx.retryAfterMs;
  }
}

/** 400 on a datafeed read/ack/delete: the feed is unknown or expired (30 min TTL), or the ackId is bad. */
export class FeedGoneError extends SymphonyError {
  override readonly name: string = 'FeedGoneError';
}

/** Any other 4xx. `code`/`message` come from the `{code, message}` error body when present. */
export class ClientError extends SymphonyError {
  override readonly name: string = 'ClientError';
  declare readonly status: number;
  /** The `code` field of the error body (usually the HTTP status again), if any. */
  readonly code?: number | string;
  /** The `details` field of an agent V2Error body, if any. */
  readonly details?: unknown;

  constructor(
    message: string,
    ctx: SymphonyErrorContext & { status: number; code?: number | string; details?: unknown },
  ) {
    super(message, ctx);
    if (ctx.code !== undefined) this.code = ctx.code;
    if (ctx.details !== undefined) this.details = ctx.details;
  }
}

/** 5xx. */
export class ServerError extends SymphonyError {
  override readonly name: string = 'ServerError';
  declare readonly status: number;
}

/** Network failure before a response: refused, reset, DNS, TLS (certificate) errors. */
export class ConnectionError extends SymphonyError {
  override readonly name: string = 'ConnectionError';
  /** The system / TLS error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly errorCode?: string;

  constructor(message: string, ctx: SymphonyErrorContext & { errorCode?: string } = {}) {
    super(message, ctx);
    if (ctx.errorCode !== undefined) this.errorCode = ctx.errorCode;
  }
}

/** No response within the call's timeout. */
export class TimeoutError extends SymphonyError {
  override readonly name: string = 'TimeoutError';
  readonly timeoutMs?: number;

  constructor(message: string, ctx: SymphonyErrorContext & { timeoutMs?: number } = {}) {
    super(message, ctx);
    if (ctx.timeoutMs !== undefined) this.timeoutMs = ctx.timeoutMs;
  }
}

/** The caller's AbortSignal fired (during the request or during a retry wait). */
export class AbortedError extends SymphonyError {
  override readonly name: string = 'AbortedError';
}
