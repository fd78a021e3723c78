import { recordLoadedModules, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { createFeedState } from '../src/feed-state.ts';
import { childIngester } from './support/child-ingester.ts';
import { ingesterTest } from './support/ingester-test.ts';
import { ingesterEnv, pendingEvents, sendPaced } from './support/sim-fixture.ts';

ingesterTest.override('simStreams', 3);

/**
 * What the ingester must not load when its configuration does not use it (docs/operations.md, "Process
 * memory"): the OpenTelemetry SDK without OTEL_EXPORTER_OTLP_ENDPOINT, the YAML parser without
 * SYMPHONY_CONFIG_FILE, pino-pretty without LOG_PRETTY, jose beyond its JWT signer, and what only other services
 * use (axios, the bot framework, the dashboard's bull-board).
 */
const NOT_NEEDED =
  /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(yaml|pino-pretty|axios|@bull-board\/[^/]+|@opentelemetry\/(sdk-trace-base|exporter-trace-otlp-http|resources|core|context-async-hooks))\/|node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?jose\/dist\/webapi\/index\.js|\/packages\/bot\/(src|dist)\//;

describe('ingester process: the modules it loads', () => {
  ingesterTest(
    'reading and storing events without tracing or a BDK config file, it loads none of the modules only those need',
    async ({ redis, redisServer, fx, children, prefix }) => {
      const recorder = recordLoadedModules();
      try {
        const child = childIngester({ ...ingesterEnv(fx, redisServer.url, prefix), ...recorder.env });
        children.push(child);
        child.start();
        const feedState = createFeedState(redis, prefix);
        await waitFor(
          'the ingester to read its feed',
          async () => (await feedState.load()).feedId,
          30_000,
          () => child.output(),
        );
        const sent = await sendPaced(fx, 2, 50);
        const pending = () => pendingEvents(redis, prefix);
        await waitFor(
          `${sent} events enqueued`,
          async () => (await pending()) === sent,
          30_000,
          () => child.output(),
        );
        const pid = child.pid;
        if (pid === undefined) throw new Error('the ingester has no pid');
        const modules = await recorder.read(pid);
        // The recorder sees both kinds of module: the ingester's own (ES) and ioredis (CommonJS).
        expect(modules.some((m) => m.endsWith('/services/ingester/src/create-ingester.ts'))).toBe(true);
        expect(modules.some((m) => /node_modules\/ioredis\/built\/index\.js$/.test(m))).toBe(true);
        // The JWT signer is loaded at the first login (RSA authentication), not jose's whole index.
        expect(modules.some((m) => /jose\/dist\/webapi\/jwt\/sign\.js$/.test(m))).toBe(true);
        expect(modules.filter((m) => NOT_NEEDED.test(m))).toEqual([]);
      } finally {
        recorder.dispose();
      }
    },
  );
});
