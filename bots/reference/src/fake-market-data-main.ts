/**
 * The development stack's deterministic market-data endpoint for `/quote`, as its own process
 * (`docker compose` runs it beside the simulator, `baton dev` as one of its children). Settings:
 * MARKET_DATA_PORT, MARKET_DATA_HOST. Stops on SIGINT / SIGTERM / SIGHUP, or when its `baton dev` dies.
 */
import { ConfigError, runService, type ServiceLogger } from '@baton/bot';
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

/** Plain lines on stdout (the fake has no logger of its own). */
const logger: ServiceLogger = {
  info: (_obj, msg) => console.log(msg),
  error: (obj, msg) => console.error(msg, obj),
};

await runService(
  async () => {
    const server = createFakeMarketData({ port: config.MARKET_DATA_PORT, host: config.MARKET_DATA_HOST });
    const url = await server.start();
    console.log(`fake market data listening on ${url} (GET / lists the tickers, GET /quote/:ticker)`);
    return server;
  },
  { name: 'fake market data', logger, shutdownTimeoutMs: 3_000 },
);
