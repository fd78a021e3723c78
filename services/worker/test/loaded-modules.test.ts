import { recordLoadedModules, waitFor } from '@baton/testing';
import { describe, expect } from 'vitest';
import { stackTest } from './support/stack-test.ts';

stackTest.override('stackOptions', { entry: 'reference' });

/**
 * What a worker must not load when its configuration does not use it (docs/operations.md, "Process memory"):
 * the OpenTelemetry SDK without OTEL_EXPORTER_OTLP_ENDPOINT, the YAML parser without SYMPHONY_CONFIG_FILE,
 * pino-pretty without LOG_PRETTY, jose beyond its JWT signer, and the other services (the ingester, the
 * dashboard and its bull-board, the pod simulator).
 */
const NOT_NEEDED =
  /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(yaml|pino-pretty|@bull-board\/[^/]+|@opentelemetry\/(sdk-trace-base|exporter-trace-otlp-http|resources|core|context-async-hooks))\/|node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?jose\/dist\/webapi\/index\.js|\/(services\/(ingester|dashboard)|packages\/pod-simulator)\/(src|dist)\//;

describe('worker process: the modules it loads', () => {
  stackTest(
    'running the reference bot without tracing or a BDK config file, it loads none of the modules only those need',
    async ({ stack }) => {
      const recorder = recordLoadedModules();
      try {
        const worker = await stack.spawnWorker('modules', recorder.env);
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
        const pid = worker.pid;
        if (pid === undefined) throw new Error('the worker has no pid');
        const modules = await recorder.read(pid);
        // The recorder sees both kinds of module: the bot's (ES) and ioredis (CommonJS).
        expect(modules.some((m) => m.endsWith('/bots/reference/src/echo-command.ts'))).toBe(true);
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
