import { checkServiceModules, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import { ingesterEnv, pendingEvents, sendPaced, startChildReading } from './support/sim-fixture.ts';

ingesterTest.override('simStreams', 3);

/**
 * What only other services use, so the ingester must not load it (docs/operations.md, "Process memory"): axios,
 * the bot framework, the dashboard's bull-board. `checkServiceModules` adds what no service loads unless its
 * configuration uses it: the OpenTelemetry SDK, the YAML parser, pino-pretty, jose beyond its JWT signer.
 */
const OTHER_SERVICES =
  /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(axios|@bull-board\/[^/]+)\/|\/packages\/bot\/(src|dist)\//;

describe('ingester process: the modules it loads', () => {
  ingesterTest(
    'reading and storing events without tracing or a BDK config file, it loads none of the modules only those need',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const check = await checkServiceModules(
        async (recorderEnv) => {
          const child = childIngester({ ...ingesterEnv(fx, redisServer.url, prefix), ...recorderEnv });
          children.push(child);
          await startChildReading(child, { fx, redis, prefix }, 0); // its feed stored is enough
          const sent = await sendPaced(fx, 2, 50);
          const pending = () => pendingEvents(redis, prefix);
          await waitFor(
            `${sent} events enqueued`,
            async () => (await pending()) === sent,
            30_000,
            () => child.output(),
          );
          return child;
        },
        // Its own modules (ES) besides ioredis (CommonJS) and jose's JWT signer (its first RSA login).
        { loads: ['/services/ingester/src/create-ingester.ts'], notNeeded: OTHER_SERVICES },
      );
      expect(check).toEqual({ missing: [], notNeeded: [] });
    },
  );
});
