import { redactSecrets } from '../errors/redact-secrets.ts';
import { serializeError } from '../errors/serialize-error.ts';
import { DEAD_LETTER_TEXT_LIMITS, type DeadLetterError } from './dead-letter.ts';

/** Redacts first, then cuts (so a cut never leaves half a secret that the patterns no longer recognise). */
function clean(text: string, max: number): string {
  // A first cut keeps the redaction's work bounded whatever the error says.
  const redacted = redactSecrets(text.length > 4 * max ? text.slice(0, 4 * max) : text);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

function isSerialized(
  value: unknown,
): value is { name: string; message: string; code?: unknown; stack?: unknown } {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const v = value as Record<string, unknown>;
  return typeof v['name'] === 'string' && typeof v['message'] === 'string';
}

/**
 * The error a dead letter keeps: anything thrown (or an already serialised `{ name, message, code, stack }`)
 * reduced to its class name, message, string code and stack, with secrets redacted (`redactSecrets`) and each
 * field cut to `DEAD_LETTER_TEXT_LIMITS`. Never throws.
 */
export function deadLetterError(err: unknown): DeadLetterError {
  let s: { name: string; message: string; code?: unknown; stack?: unknown };
  try {
    s = isSerialized(err) ? err : serializeError(err);
  } catch {
    s = { name: 'NonError', message: '[unreadable error]' };
  }
  const L = DEAD_LETTER_TEXT_LIMITS;
  return {
    name: clean(s.name, L.errorName),
    message: clean(s.message, L.errorMessage),
    ...(typeof s.code === 'string' ? { code: clean(s.code, L.errorCode) } : {}),
    ...(typeof s.stack === 'string' ? { stack: clean(s.stack, L.errorStack) } : {}),
  };
}
