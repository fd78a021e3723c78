/** What `serializeError` keeps of a thrown value: the fields a log line or a dead letter needs. */
export interface SerializedError {
  name: string;
  message: string;
  /** A `BatonError`'s code (docs/errors.md), or a system error's (`ECONNREFUSED`…), when it is a string. */
  code?: string;
  stack?: string;
}

/**
 * The one way Baton turns anything thrown into plain data for a log field or a dead letter: name, message, the
 * string `code` if there is one, and the stack. Nothing else of the error is copied (its other properties may
 * hold event content), and a non-Error is `{ name: 'NonError', message: String(value) }`.
 */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'NonError', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}
