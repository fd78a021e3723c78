import { setTimeout as sleep } from 'node:timers/promises';
import { type FoundProcess, processesWithEnv } from './processes-with-env.ts';
import { TEST_RUN_VARIABLE } from './test-run.ts';

/**
 * The processes of test run `runId` (its marker in their environment) still alive after `graceMs` (time for
 * those already stopping to go): each is SIGKILLed, and the list returned (empty: the run left nothing behind).
 */
export async function sweepTestRun(runId: string, graceMs = 3_000): Promise<FoundProcess[]> {
  const deadline = Date.now() + graceMs;
  let left = processesWithEnv(TEST_RUN_VARIABLE, runId);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = processesWithEnv(TEST_RUN_VARIABLE, runId);
  }
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return left;
}
