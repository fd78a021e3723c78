import { checkServiceModules, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

stackTest.override('stackOptions', { entry: 'reference' });

/**
 * The other services, so a worker must not load them (docs/operations.md, "Process memory"): the ingester, the
 * dashboard and its bull-board, the pod simulator. `checkServiceModules` adds what no service loads unless its
 * configuration uses it: the OpenTelemetry SDK, the YAML parser, pino-pretty, jose beyond its JWT signer.
 */
const OTHER_SERVICES =
  /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?@bull-board\/[^/]+\/|\/(services\/(ingester|dashboard)|packages\/pod-simulator)\/(src|dist)\//;

describe('worker process: the modules it loads', () => {
  stackTest(
    'running the reference bot without tracing or a BDK config file, it loads none of the modules only those need',
    async ({ stack }) => {
      const check = await checkServiceModules(
        async (recorderEnv) => {
          const worker = await stack.spawnWorker('modules', recorderEnv);
          const room = stack.sim.control.createStream({
            type: 'IM',
            memberIds: [stack.bot.userId, stack.alice.userId],
          }).streamId;
          stack.say(room, '/echo hi');
          await waitFor(
            'the reply',
            () => stack.botMessages(room).length === 1,
            30_000,
            () => worker.output(),
          );
          return worker;
        },
        // The bot's modules (ES) besides ioredis (CommonJS) and jose's JWT signer (its first RSA login).
        { loads: ['/bots/reference/src/echo-command.ts'], notNeeded: OTHER_SERVICES },
      );
      expect(check).toEqual({ missing: [], notNeeded: [] });
    },
  );
});
