import { createLogger, loadConfigOrExit } from '@baton/shared';
import { loadConfig } from './config.ts';
import { createIngester } from './create-ingester.ts';

const config = loadConfigOrExit(() => loadConfig(), { service: 'ingester' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'ingester' });
const ingester = createIngester(config, { logger });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutdown requested');
  // Hard cap: exit within 5 s whatever happens.
  setTimeout(() => process.exit(1), 5_000).unref();
  await ingester.stop(4_000);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await ingester.start();
