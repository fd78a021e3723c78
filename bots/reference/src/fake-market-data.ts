import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What `GET /quote/:ticker` returns. */
export interface Quote {
  ticker: string;
  price: number;
  currency: string;
  asOf: string;
}

export interface FakeMarketDataOptions {
  /** Port to listen on (0 = any free port). Default 0. */
  port?: number;
  host?: string;
  /** Known tickers and their prices; anything else answers 404. Default: a fixed set of large caps. */
  prices?: Record<string, { price: number; currency: string }>;
  /** The `asOf` of every quote. Default a fixed instant, so answers are deterministic. */
  asOf?: string;
}

export interface FakeMarketData {
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:<port>`). */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The base URL (after `start`). */
  readonly url: string;
  /** Answers 503 to the next `n` requests (to exercise the client's retry). */
  failNext(n: number): void;
  /** Delays every answer by `ms` (to exercise the client's timeout). */
  setDelay(ms: number): void;
  /** Requests served so far. */
  readonly requests: number;
}

const DEFAULT_PRICES: Record<string, { price: number; currency: string }> = {
  AAPL: { price: 187.12, currency: 'USD' },
  MSFT: { price: 411.35, currency: 'USD' },
  GOOG: { price: 141.8, currency: 'USD' },
  AMZN: { price: 178.25, currency: 'USD' },
  NVDA: { price: 903.56, currency: 'USD' },
  JPM: { price: 196.62, currency: 'USD' },
  GS: { price: 402.14, currency: 'USD' },
  IBM: { price: 185.37, currency: 'USD' },
  'BARC.L': { price: 2.05, currency: 'GBP' },
  'HSBA.L': { price: 6.38, currency: 'GBP' },
};

/** A tiny deterministic market-data HTTP server for the development stack and tests (`GET /quote/:ticker`). */
export function createFakeMarketData(opts: FakeMarketDataOptions = {}): FakeMarketData {
  const prices = opts.prices ?? DEFAULT_PRICES;
  const asOf = opts.asOf ?? '2026-01-05T16:00:00.000Z';
  let server: Server | undefined;
  let url = '';
  let failures = 0;
  let delayMs = 0;
  let requests = 0;

  const answer = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
  const route = (method: string | undefined, path: string) => {
    if (method === 'GET' && path === '/') {
      // The index (the `baton dev` banner links here): what can be asked, with a link per ticker.
      return answer(200, {
        service: 'fake market data (deterministic quotes for the reference bot /quote)',
        routes: { 'GET /': 'this index', 'GET /quote/:ticker': 'a quote: { ticker, price, currency, asOf }' },
        tickers: Object.keys(prices),
        examples: Object.keys(prices)
          .slice(0, 3)
          .map((t) => `/quote/${encodeURIComponent(t)}`),
      });
    }
    const match = /^\/quote\/([^/?#]+)$/.exec(path);
    if (method !== 'GET' || !match?.[1]) {
      return answer(404, { error: 'not found', routes: ['GET /', 'GET /quote/:ticker'] });
    }
    if (failures > 0) {
      failures--;
      return answer(503, { error: 'market data temporarily unavailable' });
    }
    const ticker = decodeURIComponent(match[1]).toUpperCase();
    const known = prices[ticker];
    if (!known) return answer(404, { error: `unknown ticker ${ticker}` });
    return answer(200, { ticker, price: known.price, currency: known.currency, asOf } satisfies Quote);
  };

  return {
    get url() {
      return url;
    },
    get requests() {
      return requests;
    },
    failNext(n) {
      failures = n;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async start() {
      const srv = createServer((req, res) => {
        requests++;
        const { status, body } = route(req.method, (req.url ?? '/').split('?')[0] ?? '/');
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' }).end(body);
        };
        if (delayMs > 0) setTimeout(send, delayMs).unref();
        else send();
      });
      server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
      });
      const { address, port } = srv.address() as AddressInfo;
      url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
      return url;
    },
    async stop() {
      const srv = server;
      server = undefined;
      if (!srv) return;
      srv.closeAllConnections();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}
