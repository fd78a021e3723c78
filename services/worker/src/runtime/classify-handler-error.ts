import { InvalidMarkupError } from '@baton/shared';
import { StaleDrainError } from './runtime-errors.ts';

/**
 * What a failed handler attempt means for the event:
 * - `fenced`: the drain lost its stream (StaleDrainError): stop, the new owner answers it (no retry, no DLQ);
 * - `invalid-input`: the event itself cannot be read (markup the event model refuses: a DOCTYPE or other
 *   declaration, absurd nesting): retrying cannot help, so it is dead-lettered at once as invalid input
 *   (stage `ingest`, not replayable);
 * - `retry`: anything else: retried in place, then dead-lettered as a handler failure (replayable).
 */
export type HandlerErrorClass = 'fenced' | 'invalid-input' | 'retry';

/** Codes of errors that say the event's content is unreadable (docs/errors.md). */
const INVALID_INPUT_CODES: ReadonlySet<string> = new Set(['INVALID_MARKUP']);

function codeOf(err: unknown): unknown {
  return err instanceof Error ? (err as { code?: unknown }).code : undefined;
}

/**
 * Classifies by class, else by `code` (a bot may load another copy of @baton/shared, whose classes differ),
 * looking through a few `cause` links (a handler that wraps the error keeps its meaning). Never by message.
 */
export function classifyHandlerError(err: unknown): HandlerErrorClass {
  if (err instanceof StaleDrainError) return 'fenced';
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof InvalidMarkupError) return 'invalid-input';
    const code = codeOf(current);
    if (typeof code === 'string' && INVALID_INPUT_CODES.has(code)) return 'invalid-input';
    current = current.cause;
  }
  return 'retry';
}
