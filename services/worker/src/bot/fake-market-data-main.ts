/**
 * The development stack's deterministic market-data endpoint for `/quote`, as its own process
 * (`docker compose` runs it beside the simulator). Port from MARKET_DATA_PORT (default 8090).
 */
import { createFakeMarketData } from './fake-market-data.ts';

// Process entry of a development-only fake: its one setting is read here rather than through a service schema.
const port = Number(process.env.MARKET_DATA_PORT ?? 8090);
const host = process.env.MARKET_DATA_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`MARKET_DATA_PORT: expected a port number, got "${process.env.MARKET_DATA_PORT}"`);
  process.exit(1);
}
const server = createFakeMarketData({ port, host });
const url = await server.start();
console.log(`fake market data listening on ${url} (GET /quote/:ticker)`);
const stop = (): void => {
  void server.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
