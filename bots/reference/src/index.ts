import { defineBot } from '@baton/bot';
import { createReferenceBot } from './reference-bot.ts';
import { loadReferenceBotEnv, referenceBotConfigFrom } from './reference-bot-env.ts';

export {
  createFakeMarketData,
  type FakeMarketData,
  type FakeMarketDataOptions,
  type Quote,
} from './fake-market-data.ts';
export {
  type FakeMarketDataConfig,
  fakeMarketDataEnvSchema,
  loadFakeMarketDataConfig,
} from './fake-market-data-config.ts';
export {
  createMarketDataClient,
  type MarketDataClient,
  type MarketDataClientOptions,
  MarketDataUnavailableError,
} from './market-data-client.ts';
export {
  createReferenceBot,
  REFERENCE_BOT_ID,
  type ReferenceBotConfig,
  type ReferenceBotDeps,
} from './reference-bot.ts';
export {
  loadReferenceBotEnv,
  type ReferenceBotEnv,
  referenceBotConfigFrom,
  referenceBotEnvSchema,
} from './reference-bot-env.ts';

/** The bot module the worker loads (`BOT_MODULE=@baton/reference-bot`): reads its own variables at start. */
export default defineBot(({ env }) => createReferenceBot(referenceBotConfigFrom(loadReferenceBotEnv(env))));
