import { setTimeout as sleep } from 'node:timers/promises';

/** What `waitFor` resolves with: the first value of `cond` that is not falsy. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

const POLL_MS = 50;

/**
 * Polls `cond` every 50 ms until it returns a truthy value, and resolves with that value. Past `timeoutMs` it
 * rejects with "timed out after <timeoutMs> ms waiting for <what>", followed by `describe()` (the state worth
 * seeing: a process's output, a count); when `cond` throws (a probe that knows it can never succeed, e.g. the
 * process it waits for has exited) it rejects with that error at once. Usable in hooks, unlike `expect.poll`.
 */
export async function waitFor<T>(
  what: string,
  cond: () => T | Promise<T>,
  timeoutMs: number,
  describe?: () => string,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`,
      );
    }
    await sleep(POLL_MS);
  }
}
