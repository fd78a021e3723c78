import type { Logger } from '@baton/shared/logging';
import type { Bot } from './bot-types.ts';

/** What a runtime hands a bot module's factory when it loads it. */
export interface BotModuleInit {
  /** The process environment: the bot parses its own variables from it (`parseEnv(mySchema, init.env)`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The runtime's logger; the bot's own child loggers come from it. */
  logger: Logger;
}

/** A factory the runtime calls once at start (it may be async: read files, warm a cache, check a service). */
export type BotFactory = (init: BotModuleInit) => Bot | Promise<Bot>;

/**
 * What a bot module (`BOT_MODULE`) exports as `default` (or as `bot`): a bot, or a factory of one. `defineBot`
 * only gives the factory its types: `export default defineBot(({ env }) => createBot({ name: 'x' })…)`.
 */
export type BotModuleExport = Bot | BotFactory;

/** Types a bot factory for `export default` (identity at run time). */
export function defineBot(factory: BotFactory): BotFactory {
  return factory;
}
