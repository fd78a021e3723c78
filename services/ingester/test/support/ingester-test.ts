import type { SimulatorOptions } from '@baton/pod-simulator';
import { redisTest } from '@baton/shared/testing/vitest';
import type { NodeProcess } from '@baton/testing';
import { createIngester, type Ingester } from '../../src/create-ingester.ts';
import { ingesterConfig, quietLogger, startSimFixture, waitReading } from './sim-fixture.ts';

/**
 * `redisTest` plus the ingester tests' simulator: `fx` (one per file: a simulator with a bot and `simStreams` IMs,
 * see `startSimFixture`; `simOptions` go to the simulator), `children` (the file's ingester processes, SIGKILLed
 * before the simulator and Redis close) and `readingIngester(extraEnv?)` (an ingester in this process on `fx`, the
 * file's Redis and the test's `prefix`, resolved once it leads and reads; every one it made is stopped when the
 * test ends). A file sets its size with `ingesterTest.override('simStreams', 40)`.
 */
export const ingesterTest = redisTest
  .extend('simStreams', { scope: 'file' }, 10)
  .extend('simOptions', { scope: 'file' }, {} as SimulatorOptions)
  .extend('fx', { scope: 'file' }, async ({ simStreams, simOptions }, { onCleanup }) => {
    const fx = await startSimFixture(simStreams, simOptions);
    onCleanup(() => fx.sim.close());
    return fx;
  })
  // Depends on fx and redisServer only so that it is set up after them, and so cleaned up before them.
  .extend('children', { scope: 'file' }, async ({ fx: _fx, redisServer: _redis }, { onCleanup }) => {
    const children: NodeProcess[] = [];
    onCleanup(async () => {
      for (const child of children) await child.kill('SIGKILL');
    });
    return children;
  })
  .extend('readingIngester', async ({ fx, redisServer, prefix }, { onCleanup }) => {
    const running: Ingester[] = [];
    onCleanup(async () => {
      for (const ingester of running) await ingester.stop();
    });
    return async (extra: Record<string, string> = {}): Promise<Ingester> => {
      const ingester = createIngester(ingesterConfig(fx, redisServer.url, prefix, extra), {
        logger: quietLogger(),
      });
      running.push(ingester);
      await ingester.start();
      await waitReading(ingester);
      return ingester;
    };
  });
