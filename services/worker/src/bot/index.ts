export {
  createFakeMarketData,
  type FakeMarketData,
  type FakeMarketDataOptions,
  type Quote,
} from './fake-market-data.ts';
export {
  createMarketDataClient,
  type MarketDataClient,
  type MarketDataClientOptions,
  MarketDataUnavailableError,
} from './market-data-client.ts';
export { createReferenceBot, type ReferenceBotConfig, type ReferenceBotDeps } from './reference-bot.ts';
