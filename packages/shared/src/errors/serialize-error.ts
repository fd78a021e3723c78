/** What `serializeError` keeps of a thrown value: the fields a log line or a dead letter needs. */
export interface SerializedError {
  name: string;
  message: string;
  /** A `BatonError`'s code (docs/errors.md), or a system error's (`ECONNREFUSED`…), when it is a string. */
  code?: string;
  stack?: string;
  /** The error's `cause`, serialised the same way (a chain of at most 4 causes). */
  cause?: SerializedError;
}

const MAX_CAUSES = 4;

/**
 * The one way Baton turns anything thrown into plain data for a log field or a dead letter: name, message, the
 * string `code` if there is one, the stack, and its `cause` (serialised alike). Nothing else of the error is copied (its other properties may
 * hold event content), and a non-Error is `{ name: 'NonError', message: String(value) }`.
 */
export function serializeError(err: unknown): SerializedError {
  return serializeAt(err, 0);
}

function serializeAt(err: unknown, depth: number): SerializedError {
  if (!(err instanceof Error)) return { name: 'NonError', message: String(err) };
  const code = (err as { code?: unknown }).code;
  const cause = err.cause;
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
    ...(cause !== undefined && depth < MAX_CAUSES ? { cause: serializeAt(cause, depth + 1) } : {}),
  };
}
