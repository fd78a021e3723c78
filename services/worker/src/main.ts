import { createLogger } from '@baton/shared';
import { createReferenceBot } from './bot/index.ts';
import { loadConfig } from './config.ts';
import { runWorkerProcess } from './runtime/worker-process.ts';

// Process entry: config → reference bot → worker; SIGTERM stops taking drains, finishes the event in hand, exits.
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'worker' });
const bot = createReferenceBot({
  marketDataUrl: config.MARKET_DATA_URL,
  requireMentionInIm: config.REQUIRE_MENTION_IN_IM,
});
await runWorkerProcess(config, { bot, logger });
