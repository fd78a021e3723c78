import { setTimeout as sleep } from 'node:timers/promises';

/** What `waitFor` resolves with: the first value of `cond` that is not falsy. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface WaitForOptions {
  /** The state worth seeing on a timeout (a process's output, a count). */
  describe?: () => string;
  /** How often to poll (default 50 ms). */
  everyMs?: number;
  /**
   * A throw of `cond` counts as "not yet" (a probe of a service still starting, an API call that can fail)
   * instead of ending the wait; the last such error is named on a timeout. Default false.
   */
  throwsAsNotYet?: boolean;
}

const POLL_MS = 50;

/**
 * Polls `cond` every 50 ms until it returns a truthy value, and resolves with that value. Past `timeoutMs` it
 * rejects with "timed out after <timeoutMs> ms waiting for <what>", followed by `describe()` (the state worth
 * seeing: a process's output, a count); when `cond` throws (a probe that knows it can never succeed, e.g. the
 * process it waits for has exited) it rejects with that error at once, unless `throwsAsNotYet`. Usable in hooks,
 * unlike `expect.poll`.
 */
export async function waitFor<T>(
  what: string,
  cond: () => T | Promise<T>,
  timeoutMs: number,
  options?: (() => string) | WaitForOptions,
): Promise<Truthy<T>> {
  const {
    describe,
    everyMs = POLL_MS,
    throwsAsNotYet = false,
  } = typeof options === 'function' ? { describe: options } : (options ?? {});
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    let value: T | undefined;
    try {
      value = await cond();
    } catch (err) {
      if (!throwsAsNotYet) throw err;
      lastError = err;
    }
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) {
      const why = describe ? `\n${describe()}` : lastError ? `: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}
