import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import {
  canListProcesses,
  newTestRunId,
  processesWithEnv,
  sweepTestRun,
  TEST_RUN_VARIABLE,
  waitFor,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EStack, startE2EStack } from './support/e2e-stack.ts';

// Closing the e2e stack leaves no process behind. Its workers run under a test run id of their own (the launcher
// puts it in their environment, and every process they start inherits it): after close() no process carrying it
// may be alive, not a worker, nor anything a worker started. (The stack once ran its workers through the tsx CLI,
// whose SIGKILL left the real worker running.) The run's global leak check does the same for every file.
let server: TestRedis;
let stack: E2EStack | undefined;
const runId = newTestRunId();
const ofTheStack = () => processesWithEnv(TEST_RUN_VARIABLE, runId);

beforeAll(async () => {
  server = await startTestRedis();
});

afterAll(async () => {
  await stack?.close();
  await sweepTestRun(runId, 0);
  await server?.close();
});

describe.skipIf(!canListProcesses)('the e2e stack', () => {
  it('leaves no process behind once closed, with a 30 s handler in flight', async () => {
    const e2e = await startE2EStack({ redisUrl: server.url, workerEnv: { [TEST_RUN_VARIABLE]: runId } });
    stack = e2e;
    const workers = await Promise.all([e2e.spawnWorker('leak-1'), e2e.spawnWorker('leak-2')]);
    const pids = ofTheStack().map((p) => p.pid);
    for (const w of workers) expect(pids).toContain(w.pid);

    e2e.say(e2e.room('busy'), 'sleep:30000 still handling');
    const answered = e2e.room('answered');
    e2e.say(answered, 'hello');
    await waitFor('the workers to answer', () => e2e.botMessages(answered).length === 1, 20_000);
    await e2e.close();
    stack = undefined;
    await waitFor(
      'no process of the stack',
      () => ofTheStack().length === 0,
      3_000,
      () => JSON.stringify(ofTheStack(), null, 2),
    );
    expect(workers.map((w) => w.running)).toEqual([false, false]);
  });
});
