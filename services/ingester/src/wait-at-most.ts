import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves when `work` settles or after `ms`, whichever comes first (the timer does not hold the process). */
export function waitAtMost(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work, sleep(ms, undefined, { ref: false })]);
}
