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
export { createReferenceBot, type ReferenceBotConfig, type ReferenceBotDeps } from './reference-bot.ts';
export { type ReferenceBotEnv, referenceBotConfigFrom, referenceBotEnvSchema } from './reference-bot-env.ts';
