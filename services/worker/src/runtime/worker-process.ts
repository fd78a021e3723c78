import type { RuntimeBot } from '@baton/bot';
import {
  CONFIG_ERROR_EXIT_CODE,
  createSymphonyClient,
  type Logger,
  runService,
  type SymphonyClient,
  startTracing,
  symphonyClientConfigFrom,
} from '@baton/shared';
import type { WorkerConfig } from '../config.ts';
import { createWorker } from '../create-worker.ts';
import { BotConflictError } from './runtime-errors.ts';

/**
 * Runs a worker as a process (through `runService`): Symphony client from the config, `createWorker`, then
 * SIGTERM/SIGINT/SIGHUP (or the death of its `baton dev`) stop taking new drains, finish the events in hand and
 * exit (0), or exit(1) after SHUTDOWN_TIMEOUT_MS.
 */
export async function runWorkerProcess(
  config: WorkerConfig,
  deps: {
    bot: RuntimeBot;
    logger: Logger;
    /** The bot's id when it names none (the module it was loaded from). */
    botId?: string;
    /** Test hook: wrap the Symphony client the worker uses (fault injection). */
    wrapClient?: (client: SymphonyClient) => SymphonyClient;
  },
): Promise<void> {
  const { logger } = deps;
  const client = createSymphonyClient(symphonyClientConfigFrom(config), { logger });
  const worker = createWorker(config, {
    bot: deps.bot,
    client: deps.wrapClient?.(client) ?? client,
    logger,
    ...(deps.botId !== undefined ? { botId: deps.botId } : {}),
  });

  await runService(
    async () => {
      // OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is loaded.
      const tracing = await startTracing({
        env: config,
        serviceName: 'baton-worker',
        instanceId: config.WORKER_ID,
        logger,
      });
      await worker.start();
      return {
        async stop() {
          await worker.stop();
          client.close();
          await tracing.shutdown();
        },
      };
    },
    {
      name: 'worker',
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onStartError: (err) => {
        if (err instanceof BotConflictError) {
          // A deployment mistake, like a bad variable: say it plainly and exit 2, as for invalid configuration.
          logger.fatal({ code: err.code, others: err.others }, err.message);
          return CONFIG_ERROR_EXIT_CODE;
        }
        logger.fatal({ err }, 'worker failed to start');
        return 1;
      },
    },
  );
}
