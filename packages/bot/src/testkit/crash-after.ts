import { BotFrameworkError } from '../errors.ts';
import type { StateStore } from '../runtime-contract.ts';

/** Thrown by a `crashAfter` store: stands for the worker dying at that point of the handler. */
export class SimulatedCrashError extends BotFrameworkError {
  constructor(method: string, nth: number) {
    super('SIMULATED_CRASH', `simulated crash right after state.${method} call #${nth}`);
  }
}

/**
 * Wraps a state store so that the `nth` call (default 1) of `method` completes its write and then throws
 * `SimulatedCrashError`, once: a crash between a side effect and the rest of the handler. Re-`emit` the event
 * afterwards (the runtime's retry) to check the handler is safe to retry: nothing lost, nothing counted twice.
 */
export function crashAfter(store: StateStore, method: keyof StateStore, nth = 1): StateStore {
  let calls = 0;
  const wrapped = { ...store };
  const original = store[method] as (...args: unknown[]) => Promise<unknown>;
  (wrapped as Record<keyof StateStore, unknown>)[method] = async (...args: unknown[]) => {
    const result = await original.apply(store, args);
    calls++;
    if (calls === nth) throw new SimulatedCrashError(method, nth);
    return result;
  };
  return wrapped;
}
