import { ConfigError, redisEnvSchema } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadRuntimeConfig, workerEnvSchema } from '../src/config.ts';

const symphony = {
  SYMPHONY_POD_URL: 'https://pod.example.com',
  SYMPHONY_BOT_USERNAME: 'baton-bot',
  SYMPHONY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
  BOT_MODULE: './src/bot.ts',
};

describe('worker config', () => {
  it('defaults and coerces, and is frozen', () => {
    const c = loadConfig({ ...symphony, WORKER_CONCURRENCY: '4' });
    expect(c).toMatchObject({
      WORKER_CONCURRENCY: 4,
      DRAIN_BATCH: 10,
      HANDLER_ATTEMPTS: 3,
      LOCK_DURATION_MS: 10_000,
      STALLED_INTERVAL_MS: 5_000,
      MAX_STALLED_COUNT: 5,
      SEND_RATE_PER_STREAM: 2,
      MAILBOX_PARTITIONS: 16,
      OPS_PORT: 9464,
      BOT_MODULE: './src/bot.ts',
      BATON_PREFIX: 'baton',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('refuses MAX_STALLED_COUNT of 1 and names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ ...symphony, MAX_STALLED_COUNT: '1', DRAIN_BATCH: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/MAX_STALLED_COUNT/);
    expect((error as Error).message).toMatch(/DRAIN_BATCH/);
  });

  it('the runtime subset needs no Symphony credentials (tests, `pnpm dlq`)', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(loadRuntimeConfig({ BATON_PREFIX: 'x' }).BATON_PREFIX).toBe('x');
  });

  it("holds only runtime variables: no bot's own, and BOT_MODULE is required", () => {
    const names = Object.keys(workerEnvSchema.shape);
    for (const botVariable of [
      'BOT_ALLOWED_USERS',
      'BOT_COMMANDS_PER_MINUTE',
      'MARKET_DATA_URL',
      'REQUIRE_MENTION_IN_IM',
    ]) {
      expect(names).not.toContain(botVariable);
    }
    const { BOT_MODULE: _, ...withoutBot } = symphony;
    expect(() => loadConfig(withoutBot)).toThrow(/BOT_MODULE/);
    expect(() => loadConfig({ ...symphony, BOT_MODULE: '' })).toThrow(/BOT_MODULE/);
  });

  it('takes MAILBOX_PARTITIONS from the shared Redis fragment (the one definition every service uses)', () => {
    expect(workerEnvSchema.shape.MAILBOX_PARTITIONS).toBe(redisEnvSchema.shape.MAILBOX_PARTITIONS);
    expect(loadRuntimeConfig({ MAILBOX_PARTITIONS: '32' }).MAILBOX_PARTITIONS).toBe(32);
  });
});
