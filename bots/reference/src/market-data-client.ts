import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '@baton/bot';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { Quote } from './fake-market-data.ts';

/** Market data could not be reached (down, timed out, or answered 5xx after the retries). */
export class MarketDataUnavailableError extends BatonError {
  constructor(cause: unknown) {
    super('MARKET_DATA_UNAVAILABLE', 'market data unavailable', { cause });
  }
}

export interface MarketDataClientOptions {
  baseUrl: string;
  /** Per-request timeout. Default 2000 ms. */
  timeoutMs?: number;
  /** Extra attempts after a failure (network, timeout, 5xx). Default 1. */
  retries?: number;
  /** Pause before a retry. Default 200 ms. */
  retryDelayMs?: number;
}

export interface MarketDataClient {
  /** The quote, or undefined when the ticker is unknown (404). Throws `MarketDataUnavailableError`. */
  getQuote(ticker: string): Promise<Quote | undefined>;
}

export function createMarketDataClient(opts: MarketDataClientOptions): MarketDataClient {
  const http: AxiosInstance = axios.create({
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs ?? 2000,
    validateStatus: (s) => (s >= 200 && s < 300) || s === 404,
  });
  const retries = opts.retries ?? 1;
  const retryDelayMs = opts.retryDelayMs ?? 200;

  return {
    async getQuote(ticker) {
      let lastError: unknown;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await sleep(retryDelayMs);
        try {
          const res = await http.get<Quote>(`/quote/${encodeURIComponent(ticker)}`);
          if (res.status === 404) return undefined;
          return res.data;
        } catch (error) {
          lastError = error;
          const status = isAxiosError(error) ? error.response?.status : undefined;
          if (status !== undefined && status < 500) break;
        }
      }
      throw new MarketDataUnavailableError(lastError);
    },
  };
}
