import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canListProcesses, type FoundProcess, processesWithEnv } from '../src/processes-with-env.ts';
import { runNode } from '../src/run-node.ts';
import { sweepTestRun } from '../src/sweep-test-run.ts';
import { newTestRunId, TEST_RUN_VARIABLE } from '../src/test-run.ts';
import { waitFor } from '../src/wait-for.ts';
import { LINGER, startLingerer } from './support/start-lingerer.ts';

// The leak check (the global setup of vitest.config.ts and vitest.chaos.config.ts) must find what a test leaves
// running. Each process here carries a run id of its own, so this file's deliberate leaks are not the real run's.

const require = createRequire(import.meta.url);
const TSX_CLI = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
const VITEST_CLI = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const LEAK_RUN = join(import.meta.dirname, 'fixtures', 'leak-run');

/** Run ids of this file: whatever a failed assertion left running is swept after each test. */
const runIds: string[] = [];
const freshRunId = () => {
  const id = newTestRunId();
  runIds.push(id);
  return id;
};
afterEach(async () => {
  for (const id of runIds.splice(0)) await sweepTestRun(id, 0);
});

const pidsOf = (runId: string) => processesWithEnv(TEST_RUN_VARIABLE, runId).map((p) => p.pid);
/**
 * The pids of `found` that are `expected`, sorted, once esbuild's service is set aside: tsx starts one beside a
 * process whose sources are not in its cache yet, and it inherits the marker too. Anything else stays in (and
 * fails the comparison).
 */
const ownOrHelpers = (found: FoundProcess[], expected: (number | undefined)[]) =>
  found
    .filter((p) => expected.includes(p.pid) || !/\besbuild\b.*--service/.test(p.command))
    .map((p) => p.pid)
    .sort((a, b) => a - b);

describe.skipIf(!canListProcesses)('the leak check', () => {
  it('finds a child deliberately left running, and sweepTestRun kills it', async () => {
    const runId = freshRunId();
    const child = await startLingerer({ env: { [TEST_RUN_VARIABLE]: runId } });
    expect(ownOrHelpers(processesWithEnv(TEST_RUN_VARIABLE, runId), [child.pid])).toEqual([child.pid]);
    const swept = await sweepTestRun(runId, 200);
    expect(ownOrHelpers(swept, [child.pid])).toEqual([child.pid]);
    expect(swept.find((p) => p.pid === child.pid)?.command).toContain(LINGER);
    expect(await child.exited()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(pidsOf(runId)).toEqual([]);
    expect(await sweepTestRun(runId, 0)).toEqual([]);
  });

  it('finds the node process a SIGKILLed tsx CLI leaves behind (why the launcher never uses it)', async () => {
    const runId = freshRunId();
    const cli = await startLingerer({
      name: 'tsx cli',
      entry: TSX_CLI,
      args: [LINGER],
      env: { [TEST_RUN_VARIABLE]: runId },
    });
    const script = (found: FoundProcess[]) =>
      found.filter((p) => p.pid !== cli.pid && p.command.endsWith(LINGER)).map((p) => p.pid);
    const [grandchild] = script(processesWithEnv(TEST_RUN_VARIABLE, runId));
    expect(grandchild).toBeDefined();
    expect(ownOrHelpers(processesWithEnv(TEST_RUN_VARIABLE, runId), [cli.pid, grandchild])).toEqual(
      [cli.pid as number, grandchild as number].sort((a, b) => a - b),
    );
    expect(await cli.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    const left = await sweepTestRun(runId, 500);
    expect(ownOrHelpers(left, [grandchild])).toEqual([grandchild]);
    await waitFor('the orphan to die', () => pidsOf(runId).length === 0, 5_000);
  });

  it('fails a vitest run that leaves a process behind (and kills it), and passes the same run that does not', async () => {
    const run = (leak: boolean) =>
      runNode(
        {
          name: `vitest run (LEAK=${leak})`,
          entry: VITEST_CLI,
          args: ['run', '--root', LEAK_RUN, '--config', join(LEAK_RUN, 'vitest.config.ts')],
          cwd: LEAK_RUN,
          env: { LEAK: leak ? '1' : '0', NO_COLOR: '1', CI: 'true' },
        },
        60_000,
      );
    const clean = await run(false);
    expect(clean.code, clean.lines.join('\n')).toBe(0);
    expect(clean.stderr).not.toContain('leak check');

    const leaky = await run(true);
    const out = leaky.lines.join('\n');
    const [, pid, nestedRun] = /LINGERER pid=(\d+) run=(\S+)/.exec(out) ?? [];
    expect(pid, out).toBeDefined();
    runIds.push(nestedRun as string);
    expect(leaky.code, out).toBe(1);
    // The child, and tsx's esbuild service beside it when tsx had to compile (its cache was cold).
    expect(out).toMatch(
      new RegExp(
        `leak check: the tests left [12] process\\(es\\) of run ${nestedRun} running \\(now killed\\):`,
      ),
    );
    expect(out).toMatch(new RegExp(`pid ${pid}: .*linger\\.ts`));
    // The nested run's own tests passed: the leak alone failed it.
    expect(out).toMatch(/Tests\s+1 passed/);
    await waitFor('the leaked child to be gone', () => pidsOf(nestedRun as string).length === 0, 5_000);
  }, 120_000);
});
