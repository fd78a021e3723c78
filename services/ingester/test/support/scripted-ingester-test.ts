import { createLogger } from '@baton/shared';
import type { FakeSymphonyClient } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { loadConfig } from '../../src/config.ts';
import { createIngester, type Ingester } from '../../src/create-ingester.ts';

const logger = createLogger({ level: 'silent' });

/**
 * `redisTest` plus `scriptedIngester(fake, extraEnv?)`: an ingester (not started) on the test's Redis and
 * `prefix` that reads from a scripted client (`createFakeSymphonyClient`) instead of a pod, with short reads, lease and
 * backoff. Every ingester it made is stopped when the test ends.
 */
export const scriptedIngesterTest = redisTest.extend(
  'scriptedIngester',
  async ({ redis, redisServer, prefix }, { onCleanup }) => {
    const running: Ingester[] = [];
    onCleanup(async () => {
      for (const ingester of running) await ingester.stop();
    });
    return (fake: FakeSymphonyClient, extra: Record<string, string> = {}): Ingester => {
      const config = loadConfig({
        SYMPHONY_POD_URL: 'http://127.0.0.1:9',
        SYMPHONY_BOT_USERNAME: 'bot',
        SYMPHONY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nunused\n-----END PRIVATE KEY-----',
        REDIS_URL: redisServer.url,
        BATON_PREFIX: prefix,
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
        READ_TIMEOUT_MS: '400',
        LEADER_LEASE_MS: '1500',
        MAX_BACKOFF_MS: '200',
        ...extra,
      });
      const ingester = createIngester(config, { logger, redis, client: fake });
      running.push(ingester);
      return ingester;
    };
  },
);
