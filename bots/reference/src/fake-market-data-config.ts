import { type DeepReadonly, type Env, parseEnv } from '@baton/bot';
import { z } from 'zod';

/** Variables of the development market-data fake (`fake-market-data-main.ts`, compose service `market-data`). */
export const fakeMarketDataEnvSchema = z.object({
  MARKET_DATA_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int()
    .min(0)
    .max(65_535)
    .default(8090)
    .describe('TCP port of the fake market-data service (0 = any free port)'),
  MARKET_DATA_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Bind address of the fake market-data service (compose: 0.0.0.0)'),
});

export type FakeMarketDataConfig = DeepReadonly<z.infer<typeof fakeMarketDataEnvSchema>>;

/** Parses, defaults and freezes the fake's configuration; throws the shared `ConfigError`. */
export function loadFakeMarketDataConfig(env: Env = process.env): FakeMarketDataConfig {
  return parseEnv(fakeMarketDataEnvSchema, env, { service: 'market-data' });
}
