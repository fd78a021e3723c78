import { createLogger, createSymphonyClient, symphonyClientConfigFrom } from '@baton/shared';
import { createWorker, loadConfig } from '@baton/worker';
import { createBenchBot } from './bench-bot.ts';

// Process entry of a Baton worker running the bench bot (the worker's own main.ts runs the reference bot).
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'bench-worker' });
const client = createSymphonyClient(symphonyClientConfigFrom(config), { logger });
const worker = createWorker(config, { bot: createBenchBot(), client, logger });

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS).unref();
  void worker.stop().then(
    () => {
      client.close();
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
await worker.start();
