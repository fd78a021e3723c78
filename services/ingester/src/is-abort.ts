import { AbortedError } from '@baton/shared';

/** An abort (ours, `AbortedError`, or the platform's `AbortError`), not a failure. */
export const isAbort = (err: unknown): boolean =>
  err instanceof AbortedError || (err as Error)?.name === 'AbortError';
