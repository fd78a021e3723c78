import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedError } from './errors.ts';

/** Resolves after `ms`, or rejects with `AbortedError` as soon as `signal` fires. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (signal?.aborted) throw new AbortedError('Aborted while waiting to retry', { cause: error });
    throw error;
  }
}
