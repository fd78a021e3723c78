import type { RuntimeBot } from '@baton/bot';
import {
  CONFIG_ERROR_EXIT_CODE,
  createOboClients,
  createSymphonyClient,
  type Logger,
  oboClientConfigFrom,
  runService,
  type SymphonyClient,
  symphonyClientConfigFrom,
  withTracing,
} from '@baton/shared';
import type { WorkerConfig } from '../config.ts';
import { createWorker } from '../create-worker.ts';
import { lowerOwnPriority } from './lower-own-priority.ts';
import { createNoBotAccountClient } from './no-bot-account-client.ts';
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
  // The reader wins the CPU: a worker yields to the ingester on a busy host (docs/worker.md, "CPU priority").
  lowerOwnPriority(config.WORKER_NICE, logger);
  const botUsername = config.SYMPHONY_BOT_USERNAME;
  const oboConfig = oboClientConfigFrom(config);
  // No bot account (parseEnv allowed it only with an app): an app-only worker, whose bot client refuses every call.
  const client =
    botUsername === undefined
      ? createNoBotAccountClient()
      : createSymphonyClient(symphonyClientConfigFrom({ ...config, SYMPHONY_BOT_USERNAME: botUsername }), {
          logger,
        });
  const obo = oboConfig ? createOboClients(oboConfig, { logger }) : undefined;
  const worker = createWorker(config, {
    bot: deps.bot,
    client: deps.wrapClient?.(client) ?? client,
    logger,
    ...(obo ? { obo } : {}),
    ...(botUsername === undefined && oboConfig ? { appOnly: { appId: oboConfig.appId } } : {}),
    ...(deps.botId !== undefined ? { botId: deps.botId } : {}),
  });

  // OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is loaded.
  const tracing = { env: config, serviceName: 'baton-worker', instanceId: config.WORKER_ID, logger };
  await runService(
    withTracing(tracing, async () => {
      // An app-only worker can do nothing without its app: check the app login now (a wrong key fails the start).
      if (obo && botUsername === undefined) await obo.authenticateApp();
      await worker.start();
      return {
        async stop() {
          await worker.stop();
          client.close();
          obo?.close();
        },
      };
    }),
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
