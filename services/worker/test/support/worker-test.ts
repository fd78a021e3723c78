import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { createWorkerRig } from './worker-rig.ts';

/**
 * `redisTest` plus `rig` (one per file): in-process workers on the file's Redis under the prefix `rigPrefix`
 * (default a fresh `uniquePrefix('worker')`), with its mailbox and queues (`createWorkerRig`); closed (every
 * worker stopped, then the queues) after the file's `afterAll` hooks, before the file's Redis. A file starts its
 * workers in `workerTest.beforeAll(async ({ rig }) => …)` and feeds them with `rig.push`; one that needs the
 * prefix at module level names it with `workerTest.override('rigPrefix', prefix)`.
 */
export const workerTest = redisTest
  .extend('rigPrefix', { scope: 'file' }, async () => uniquePrefix('worker'))
  .extend('rig', { scope: 'file' }, async ({ redis, redisServer, rigPrefix }, { onCleanup }) => {
    const rig = createWorkerRig(redis, redisServer.url, rigPrefix);
    onCleanup(() => rig.close());
    return rig;
  });
