import { InvalidMarkupError, MessageTooLargeError } from '@baton/shared';
import { isRedisUnavailableError } from './is-redis-unavailable-error.ts';
import { StaleDrainError } from './runtime-errors.ts';

/**
 * What a failed handler attempt means for the event:
 * - `fenced`: the drain lost its stream (StaleDrainError): stop, the new owner answers it (no retry, no DLQ);
 * - `stopping`: the worker is shutting down and cut a wait short (a send waiting on the limiter,
 *   `SEND_WAIT_ABORTED`, or a wait for Redis, `REDIS_WAIT_ABORTED`): stop without acking, the stream's next drain
 *   handles the event (not an attempt, no DLQ);
 * - `redis-unavailable`: Baton's own Redis did not answer (a connection lost, CLUSTERDOWN, TRYAGAIN, LOADING,
 *   READONLY, MASTERDOWN, a Cluster that ran out of redirections …): not the handler's failure, so not counted as
 *   an attempt: the drain waits for Redis, then tries again;
 * - `invalid-input`: the event itself cannot be read (markup the event model refuses: a DOCTYPE or other
 *   declaration, absurd nesting): retrying cannot help, so it is dead-lettered at once as invalid input
 *   (stage `ingest`, not replayable);
 * - `permanent`: a call the handler made that can never succeed as made (a message over Symphony's size limit,
 *   `SYMPHONY_MESSAGE_TOO_LARGE`): dead-lettered at once as a handler failure (stage `handle`, replayable once
 *   the bot is fixed), with the failure reply; no retry;
 * - `retry`: anything else: retried in place, then dead-lettered as a handler failure (replayable).
 */
export type HandlerErrorClass =
  | 'fenced'
  | 'stopping'
  | 'redis-unavailable'
  | 'invalid-input'
  | 'permanent'
  | 'retry';

/** Codes of errors that say the event's content is unreadable (docs/errors.md). */
const INVALID_INPUT_CODES: ReadonlySet<string> = new Set(['INVALID_MARKUP']);
/** Codes of calls that cannot succeed however often they are made (docs/errors.md). */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['SYMPHONY_MESSAGE_TOO_LARGE']);
/** Codes of the waits a shutdown cuts short (docs/errors.md). */
const STOPPING_CODES: ReadonlySet<string> = new Set(['SEND_WAIT_ABORTED', 'REDIS_WAIT_ABORTED']);

function codeOf(err: unknown): unknown {
  return err instanceof Error ? (err as { code?: unknown }).code : undefined;
}

/** The error and the errors it wraps (`cause`, a Cluster's `lastNodeError`), outermost first, a few deep. */
function chainOf(err: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = err;
  while (chain.length < 6 && current instanceof Error && !chain.includes(current)) {
    chain.push(current);
    current = current.cause ?? (current as { lastNodeError?: unknown }).lastNodeError;
  }
  return chain;
}

/**
 * Classifies by class, else by `code` (a bot may load another copy of @baton/shared, whose classes differ),
 * looking through a few `cause` links (a handler, or the framework's state store or rate limiter, that wraps the
 * error keeps its meaning). Never by a Baton message; ioredis' own connection errors carry nothing but a fixed
 * text (see isRedisUnavailableError).
 */
export function classifyHandlerError(err: unknown): HandlerErrorClass {
  if (err instanceof StaleDrainError) return 'fenced';
  const chain = chainOf(err);
  const codes = chain.map(codeOf).filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => STOPPING_CODES.has(c))) return 'stopping';
  if (chain.some((e) => isRedisUnavailableError(e))) return 'redis-unavailable';
  if (chain.some((e) => e instanceof InvalidMarkupError) || codes.some((c) => INVALID_INPUT_CODES.has(c))) {
    return 'invalid-input';
  }
  if (chain.some((e) => e instanceof MessageTooLargeError) || codes.some((c) => PERMANENT_CODES.has(c))) {
    return 'permanent';
  }
  return 'retry';
}
