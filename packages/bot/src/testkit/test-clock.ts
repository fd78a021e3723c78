/** A clock the test kit moves by hand (state TTLs, scheduled tasks, event timestamps). */
export interface TestClock {
  now(): number;
  advance(ms: number): number;
  set(ms: number): void;
}

/** Starts at `start` (default: the real current time, so code reading `Date.now()` agrees with the clock). */
export function createTestClock(start = Date.now()): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
      return current;
    },
    set(ms) {
      current = ms;
    },
  };
}
