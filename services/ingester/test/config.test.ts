import { ConfigError, describeEnv, redisEnvSchema } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { ingesterConfigSchema, loadConfig } from '../src/config.ts';

const base = {
  SYMPHONY_POD_URL: 'https://pod.example.com',
  SYMPHONY_BOT_USERNAME: 'bot',
  SYMPHONY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
};

describe('ingester config', () => {
  it('applies documented defaults and freezes the result', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      FEED_VERSION: 'v2',
      INGEST_OWN_MESSAGES: false,
      DEDUP_TTL_SEC: 900,
      LEADER_LEASE_MS: 10_000,
      READ_TIMEOUT_MS: 35_000,
      BATON_PREFIX: 'baton',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MAILBOX_PARTITIONS: 16,
    });
    expect(c.DATAHOSE_EVENT_TYPES).toEqual(['MESSAGESENT']);
    expect(Object.isFrozen(c)).toBe(true);
    // Redelivery window (agent: 30 s) x 2 at least.
    expect(c.DEDUP_TTL_SEC).toBeGreaterThanOrEqual(60);
  });

  it('coerces and validates', () => {
    const c = loadConfig({
      ...base,
      FEED_VERSION: 'datahose',
      DATAHOSE_EVENT_TYPES: 'MESSAGESENT, SYMPHONYELEMENTSACTION',
      INGEST_OWN_MESSAGES: 'yes',
      OPS_PORT: '0',
    });
    expect(c.DATAHOSE_EVENT_TYPES).toEqual(['MESSAGESENT', 'SYMPHONYELEMENTSACTION']);
    expect(c.INGEST_OWN_MESSAGES).toBe(true);
    expect(c.OPS_PORT).toBe(0);
    expect(() => loadConfig({ ...base, FEED_VERSION: 'v3' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LEADER_LEASE_MS: '-5' })).toThrow(/LEADER_LEASE_MS/);
    expect(() => loadConfig({ ...base, DATAHOSE_TAG: 'x'.repeat(81) })).toThrow(/DATAHOSE_TAG/);
  });

  it('documents every variable', () => {
    for (const row of describeEnv(ingesterConfigSchema)) expect(row.description, row.name).not.toBe('');
  });

  it('takes MAILBOX_PARTITIONS from the shared Redis fragment (the one definition every service uses)', () => {
    expect(ingesterConfigSchema.shape.MAILBOX_PARTITIONS).toBe(redisEnvSchema.shape.MAILBOX_PARTITIONS);
  });
});
