import { createLogger, loadConfigOrExit } from '@baton/shared';
import { createReferenceBot, referenceBotConfigFrom } from './bot/index.ts';
import { loadConfig } from './config.ts';
import { runWorkerProcess } from './runtime/worker-process.ts';

// Process entry: config → reference bot → worker; SIGTERM stops taking drains, finishes the event in hand, exits.
const config = loadConfigOrExit(() => loadConfig(), { service: 'worker' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'worker' });
const bot = createReferenceBot(referenceBotConfigFrom(config));
await runWorkerProcess(config, { bot, logger });
