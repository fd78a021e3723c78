import type { RuntimeBot } from '@baton/bot';
import {
  CONFIG_ERROR_EXIT_CODE,
  createSymphonyClient,
  type Logger,
  type SymphonyClient,
  symphonyClientConfigFrom,
} from '@baton/shared';
import type { WorkerConfig } from '../config.ts';
import { createWorker } from '../create-worker.ts';
import { BotConflictError } from './runtime-errors.ts';

/**
 * Runs a worker as a process: Symphony client from the config, `createWorker`, then SIGTERM/SIGINT stop taking
 * new drains, finish the events in hand and exit (0), or exit(1) after SHUTDOWN_TIMEOUT_MS.
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

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error(
        { timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
        'shutdown timed out: exiting with events in hand',
      );
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await worker.stop();
      client.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await worker.start();
  } catch (err) {
    if (err instanceof BotConflictError) {
      // A deployment mistake, like a bad variable: say it plainly and exit 2, as for invalid configuration.
      logger.fatal({ code: err.code, others: err.others }, err.message);
      process.exit(CONFIG_ERROR_EXIT_CODE);
    }
    logger.fatal({ err }, 'worker failed to start');
    process.exit(1);
  }
}
