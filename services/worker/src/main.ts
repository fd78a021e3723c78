import { createLogger, loadConfigOrExit } from '@baton/shared';
import { loadConfig } from './config.ts';
import { loadBotModule } from './runtime/load-bot-module.ts';
import { runWorkerProcess } from './runtime/worker-process.ts';

// Process entry: config → the bot BOT_MODULE names → worker; SIGTERM stops taking drains, finishes the event in
// hand, exits. A bad BOT_MODULE (or a bad variable of the bot's own) exits 2 with a message naming it.
const config = loadConfigOrExit(() => loadConfig(), { service: 'worker' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'worker' });
const { bot, moduleId } = await loadConfigOrExit(
  () => loadBotModule(config.BOT_MODULE, { cwd: process.cwd(), env: process.env, logger }),
  { service: 'worker' },
);
await runWorkerProcess(config, { bot, logger, botId: moduleId });
