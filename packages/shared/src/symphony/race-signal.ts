import { AbortedError } from './errors.ts';

/** Waits for `promise`, but rejects with `AbortedError` as soon as `signal` fires (the promise keeps running). */
export function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortedError('Aborted by caller'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError('Aborted by caller'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
