import {
  AbortedError,
  ClientError,
  ConnectionError,
  FeedGoneError,
  FeedLimitError,
  MessageTooLargeError,
  RateLimitedError,
  ServerError,
  type SymphonyError,
  TimeoutError,
  UnauthorizedError,
} from './errors.ts';
import { MAX_MESSAGE_BYTES } from './message-limits.ts';

/** What the caller of `mapHttpError` knows about the failed call. */
export interface HttpFailureContext {
  method?: string;
  path: string;
  traceId?: string;
  /** The call is a datafeed read/ack/delete: a plain 400 there means the feed is gone. */
  datafeed?: boolean;
  /** A v5 datafeed create or read: a 403 there means too many feeds (`FeedLimitError`). */
  feedLimit?: boolean;
  /** A message create or update: a size refusal there is `MessageTooLargeError`. */
  messageSend?: boolean;
  /** The call's own timeout fired (the transport aborts the request itself). */
  timedOut?: boolean;
  timeoutMs?: number;
  /** The caller's AbortSignal fired. */
  aborted?: boolean;
}

/** The parts of an HTTP response the mapping needs (an axios response fits). */
export interface HttpResponseLike {
  status: number;
  headers?: unknown;
  data?: unknown;
}

/**
 * The one boundary between HTTP and the client's coded errors: maps a transport error (undici's, or an
 * axios-style one), or a non-2xx response, to exactly one `SymphonyError` subclass. Never keeps the transport's
 * error itself (it may carry request headers, i.e. tokens): the `cause` is a plain Error with the network error
 * code and message only.
 */
export function mapHttpError(failure: unknown, ctx: HttpFailureContext): SymphonyError {
  const base = { path: ctx.path, ...(ctx.traceId === undefined ? {} : { traceId: ctx.traceId }) };
  const where = `${ctx.method ? `${ctx.method.toUpperCase()} ` : ''}${ctx.path}`;

  if (ctx.aborted) return new AbortedError(`Aborted by caller: ${where}`, base);
  if (ctx.timedOut) {
    return new TimeoutError(`No response within ${ctx.timeoutMs ?? '?'} ms: ${where}`, {
      ...base,
      ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
    });
  }

  const response = responseOf(failure);
  if (response) return mapResponse(response, ctx, base, where);

  const code = errorCodeOf(failure);
  const message = failure instanceof Error ? failure.message : String(failure);
  const cause = Object.assign(new Error(message), code === undefined ? {} : { code });
  if (code === 'ERR_CANCELED') return new AbortedError(`Aborted: ${where}`, { ...base, cause });
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TimeoutError(`Timed out (${code}): ${where}`, { ...base, cause });
  }
  return new ConnectionError(`Connection failed (${code ?? message}): ${where}`, {
    ...base,
    cause,
    ...(code === undefined ? {} : { errorCode: code }),
  });
}

function mapResponse(
  res: HttpResponseLike,
  ctx: HttpFailureContext,
  base: { path: string; traceId?: string },
  where: string,
): SymphonyError {
  const { status } = res;
  const body = errorBodyOf(res.data);
  const detail = body.message ? `: ${body.message}` : '';
  const message = `HTTP ${status} on ${where}${detail}`;
  const retryAfterMs = parseRetryAfter(headerOf(res.headers, 'retry-after'));

  if (status === 401) return new UnauthorizedError(message, { ...base, status });
  if (ctx.messageSend && isSizeRefusal(status, body)) {
    return new MessageTooLargeError(message, { ...base, status, limitBytes: MAX_MESSAGE_BYTES });
  }
  if (status === 429 || (status === 400 && retryAfterMs !== undefined)) {
    return new RateLimitedError(message, {
      ...base,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 400 && ctx.datafeed) return new FeedGoneError(message, { ...base, status });
  if (status === 403 && ctx.feedLimit) return new FeedLimitError(message, { ...base, status });
  if (status >= 500) return new ServerError(message, { ...base, status });
  return new ClientError(message, {
    ...base,
    status,
    ...(body.code === undefined ? {} : { bodyCode: body.code }),
    ...(body.details === undefined ? {} : { details: body.details }),
  });
}

/** The symbolic names Symphony's developer docs show in a message-size refusal ("Message Size Limits"). */
const SIZE_LIMIT_CODE = 'LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED';
const SIZE_LIMIT_NAME = 'message-content-max-total-size';

/**
 * The agent refused a message for its size: a 413, or a 400 whose body names the limit. The docs show the
 * payload as `{message=Limit message-content-max-total-size reached, status=PAYLOAD_TOO_LARGE,
 * code=LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED}` while the spec's V2Error has an integer `code` and a
 * free-form `details`: so the symbolic code is looked for in `code` and in `details.code`, and the limit's
 * name in the message (Symphony's own limit name, the one token every documented form carries).
 */
function isSizeRefusal(status: number, body: ErrorBody): boolean {
  if (status === 413) return true;
  if (status !== 400) return false;
  const details = typeof body.details === 'object' && body.details !== null ? body.details : {};
  const detailCode = (details as { code?: unknown }).code;
  return (
    body.code === SIZE_LIMIT_CODE ||
    detailCode === SIZE_LIMIT_CODE ||
    (body.message?.includes(SIZE_LIMIT_NAME) ?? false)
  );
}

/** An axios-style error (`isAxiosError`, optional `response`): told by shape, so axios need not be loaded. */
function isAxiosLike(failure: unknown): failure is { response?: HttpResponseLike } {
  return (
    typeof failure === 'object' &&
    failure !== null &&
    (failure as { isAxiosError?: unknown }).isAxiosError === true
  );
}

function responseOf(failure: unknown): HttpResponseLike | undefined {
  if (isAxiosLike(failure)) return failure.response;
  if (
    typeof failure === 'object' &&
    failure !== null &&
    typeof (failure as { status?: unknown }).status === 'number'
  ) {
    if (failure instanceof Error) return undefined;
    return failure as HttpResponseLike;
  }
  return undefined;
}

function errorCodeOf(failure: unknown): string | undefined {
  if (typeof failure !== 'object' || failure === null) return undefined;
  const code = (failure as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const causeCode = (failure as { cause?: { code?: unknown } }).cause?.code;
  return typeof causeCode === 'string' ? causeCode : undefined;
}

interface ErrorBody {
  code?: number | string;
  message?: string;
  details?: unknown;
}

function errorBodyOf(data: unknown): ErrorBody {
  let parsed = data;
  if (typeof data === 'string' && data.trim().startsWith('{')) {
    try {
      parsed = JSON.parse(data);
    } catch {
      return { message: data.slice(0, 500) };
    }
  }
  if (typeof parsed === 'string') return parsed.trim() ? { message: parsed.slice(0, 500) } : {};
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { code, message, details } = parsed as { code?: unknown; message?: unknown; details?: unknown };
  return {
    ...(typeof code === 'number' || typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(details === undefined ? {} : { details }),
  };
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  const value =
    typeof getter === 'function'
      ? (getter as (n: string) => unknown).call(headers, name)
      : (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return value[0] === undefined ? undefined : String(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

/** `Retry-After` is delta-seconds or an HTTP date; returns ms (>= 0) or undefined. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
