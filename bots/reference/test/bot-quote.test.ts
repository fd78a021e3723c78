import { createTestBot } from '@baton/bot/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeMarketData,
  createMarketDataClient,
  createReferenceBot,
  type FakeMarketData,
  MarketDataUnavailableError,
} from '../src/index.ts';

let market: FakeMarketData;
let url: string;

beforeAll(async () => {
  market = createFakeMarketData();
  url = await market.start();
});

afterAll(async () => {
  await market?.stop();
});

const makeBot = (baseUrl: string, timeoutMs = 1000) =>
  createTestBot(
    createReferenceBot(
      { marketDataUrl: baseUrl },
      { marketData: createMarketDataClient({ baseUrl, timeoutMs, retries: 1, retryDelayMs: 10 }) },
    ),
  );

describe('fake market data', () => {
  it('answers deterministic quotes and 404 for unknown tickers', async () => {
    const res = await fetch(`${url}/quote/aapl`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ticker: 'AAPL',
      price: 187.12,
      currency: 'USD',
      asOf: '2026-01-05T16:00:00.000Z',
    });
    expect((await fetch(`${url}/quote/NOPE`)).status).toBe(404);
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });
});

describe('/quote', () => {
  it('replies with the price, for a cashtag or a bare ticker', async () => {
    const t = makeBot(url);
    const [reply] = await t.send('@bot /quote $AAPL');
    expect(reply?.message).toContain('<cash tag="AAPL"/>');
    expect(reply?.text).toContain('187.12 USD (as of 2026-01-05T16:00:00.000Z)');
    const [bare] = await t.send('@bot /quote barc.l');
    expect(bare?.text).toContain('2.05 GBP');
  });

  it('says so politely for an unknown ticker', async () => {
    const [reply] = await makeBot(url).send('@bot /quote $ZZZZ');
    expect(reply?.text).toContain("I don't know the ticker");
  });

  it('retries once after a 5xx', async () => {
    const before = market.requests;
    market.failNext(1);
    const [reply] = await makeBot(url).send('@bot /quote MSFT');
    expect(reply?.text).toContain('411.35 USD');
    expect(market.requests - before).toBe(2);
  });

  it('is polite when the service keeps failing, times out or is down', async () => {
    market.failNext(2);
    const [failing] = await makeBot(url).send('@bot /quote MSFT');
    expect(failing?.text).toBe('Sorry, market data is unavailable right now. Please try again in a minute.');

    market.setDelay(500);
    try {
      const [slow] = await makeBot(url, 100).send('@bot /quote MSFT');
      expect(slow?.text).toContain('market data is unavailable');
    } finally {
      market.setDelay(0);
    }

    const down = createFakeMarketData();
    const downUrl = await down.start();
    await down.stop();
    const [refused] = await makeBot(downUrl).send('@bot /quote MSFT');
    expect(refused?.text).toContain('market data is unavailable');
    await expect(
      createMarketDataClient({ baseUrl: downUrl, retries: 0 }).getQuote('MSFT'),
    ).rejects.toBeInstanceOf(MarketDataUnavailableError);
  });
});
