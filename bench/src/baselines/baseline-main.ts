import { createLogger } from '@baton/shared';
import { loadBaselineConfig } from './baseline-config.ts';
import { createBaselineBot } from './create-baseline-bot.ts';

const config = loadBaselineConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: 'baseline' });
const bot = createBaselineBot(config, { logger });

const shutdown = (signal: string) => {
  logger.info({ signal }, 'stopping');
  setTimeout(() => process.exit(0), 2_000).unref();
  void bot.stop().then(() => process.exit(0));
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
await bot.start();
