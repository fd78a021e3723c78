import { type SerializedError, serializeError } from '../errors/serialize-error.ts';

function isSerialized(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * The logger's `err` serializer: `serializeError` (name, message, string code, stack, cause). A value that is
 * already serialised (`{ err: serializeError(e) }`, the usual call) is kept as it is, so a line never says
 * `Object: …` (the name of a plain object's constructor) where the error's name belongs.
 */
export function logErrorSerializer(value: unknown): SerializedError {
  if (value instanceof Error) return serializeError(value);
  if (isSerialized(value)) return value;
  return serializeError(value);
}
