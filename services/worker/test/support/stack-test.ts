import { redisTest } from '@baton/shared/testing/vitest';
import { type E2EStackOptions, startE2EStack } from './e2e-stack.ts';

/**
 * `redisTest` plus `stack`: one e2e stack per file (simulator, in-process ingester, worker processes on demand;
 * `startE2EStack`) on the file's Redis, closed after the file's `afterAll` hooks. A file sets its options with
 * `stackTest.override('stackOptions', { workerEnv: { … } })` and starts its workers in
 * `stackTest.beforeAll(async ({ stack }) => …)` (hook timeout, not a test's).
 */
export const stackTest = redisTest
  .extend('stackOptions', { scope: 'file' }, {} as Omit<E2EStackOptions, 'redisUrl'>)
  .extend('stack', { scope: 'file' }, async ({ redisServer, stackOptions }, { onCleanup }) => {
    const stack = await startE2EStack({ ...stackOptions, redisUrl: redisServer.url });
    onCleanup(() => stack.close());
    return stack;
  });
