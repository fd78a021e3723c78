import { randomBytes } from 'node:crypto';

/** The variable the launcher puts in every child's environment: the id of the test run the child belongs to. */
export const TEST_RUN_VARIABLE = 'BATON_TEST_RUN';

/** A fresh test run id. */
export function newTestRunId(): string {
  return `${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * The id of the run this process belongs to: the one the vitest global setup gave the run (every test file's
 * process inherits it), else one made for this process on first use (the bench, a script).
 */
export function testRunId(): string {
  const current = process.env[TEST_RUN_VARIABLE];
  if (current) return current;
  const id = newTestRunId();
  process.env[TEST_RUN_VARIABLE] = id;
  return id;
}
