/**
 * The development stack's deterministic market-data endpoint for `/quote`, as its own process
 * (`docker compose` runs it beside the simulator). Settings: MARKET_DATA_PORT, MARKET_DATA_HOST.
 */
import { ConfigError } from '@baton/bot';
import { createFakeMarketData } from './fake-market-data.ts';
import { type FakeMarketDataConfig, loadFakeMarketDataConfig } from './fake-market-data-config.ts';

let config: FakeMarketDataConfig;
try {
  config = loadFakeMarketDataConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const server = createFakeMarketData({ port: config.MARKET_DATA_PORT, host: config.MARKET_DATA_HOST });
const url = await server.start();
console.log(`fake market data listening on ${url} (GET /quote/:ticker)`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
