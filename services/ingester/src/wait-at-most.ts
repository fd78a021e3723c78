/** Resolves when `work` settles or after `ms`, whichever comes first (the timer does not hold the process). */
export function waitAtMost(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}
