import { canListProcesses } from './processes-with-env.ts';
import { sweepTestRun } from './sweep-test-run.ts';
import { newTestRunId, TEST_RUN_VARIABLE } from './test-run.ts';

/**
 * vitest `globalSetup` (every config's, vitest.shared.ts): gives the run an id in `BATON_TEST_RUN`, which
 * every test file's process inherits and the launcher (`NodeProcess`) puts in every child's environment (other
 * spawns inherit it). When every test file is done, a process of this run still alive is a leak: the teardown
 * kills it, names it, and fails the run (exit code 1).
 */
export default function leakCheckGlobalSetup(): () => Promise<void> {
  const runId = newTestRunId();
  process.env[TEST_RUN_VARIABLE] = runId;
  return async () => {
    if (!canListProcesses) {
      console.warn('leak check skipped: this system has no /proc to list processes with their environment');
      return;
    }
    const leaked = await sweepTestRun(runId);
    if (leaked.length === 0) return;
    console.error(
      [
        `leak check: the tests left ${leaked.length} process(es) of run ${runId} running (now killed):`,
        ...leaked.map((p) => `  pid ${p.pid}: ${p.command.slice(0, 300)}`),
      ].join('\n'),
    );
    process.exitCode = 1;
  };
}
