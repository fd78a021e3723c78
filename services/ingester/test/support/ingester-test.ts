import type { SimulatorOptions } from '@baton/pod-simulator';
import { redisTest } from '@baton/shared/testing/vitest';
import type { NodeProcess } from '@baton/testing';
import { startSimFixture } from './sim-fixture.ts';

/**
 * `redisTest` plus the ingester tests' simulator: `fx` (one per file: a simulator with a bot and `simStreams` IMs,
 * see `startSimFixture`; `simOptions` go to the simulator) and `children` (the file's ingester processes, SIGKILLed
 * before the simulator and Redis close). A file sets its size with `ingesterTest.override('simStreams', 40)`.
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
  });
