import { ConfigError, redisEnvSchema } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { referenceBotConfigFrom } from '../src/bot/index.ts';
import { loadConfig, loadRuntimeConfig, workerEnvSchema } from '../src/config.ts';

const symphony = {
  SYMPHONY_POD_URL: 'https://pod.example.com',
  SYMPHONY_BOT_USERNAME: 'baton-bot',
  SYMPHONY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
};

describe('worker config', () => {
  it('defaults and coerces, and is frozen', () => {
    const c = loadConfig({ ...symphony, WORKER_CONCURRENCY: '4', REQUIRE_MENTION_IN_IM: 'yes' });
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
      REQUIRE_MENTION_IN_IM: true,
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

  it("carries the reference bot's BOT_* variables through to createReferenceBot's options", () => {
    expect(Object.keys(workerEnvSchema.shape)).toEqual(
      expect.arrayContaining([
        'BOT_ALLOWED_USERS',
        'BOT_ALLOWED_STREAMS',
        'BOT_ROOM_CREATORS',
        'BOT_COMMANDS_PER_MINUTE',
      ]),
    );
    expect(referenceBotConfigFrom(loadConfig(symphony))).toEqual({
      marketDataUrl: 'http://127.0.0.1:8090',
      requireMentionInIm: false,
      commandsPerMinute: 30,
    });
    const c = loadConfig({
      ...symphony,
      BOT_ALLOWED_USERS: '2001, 2002',
      BOT_ALLOWED_STREAMS: 'room_a,room-b',
      BOT_ROOM_CREATORS: '2001',
      BOT_COMMANDS_PER_MINUTE: '0',
      MARKET_DATA_URL: 'http://quotes.internal:9000',
    });
    expect(referenceBotConfigFrom(c)).toEqual({
      marketDataUrl: 'http://quotes.internal:9000',
      requireMentionInIm: false,
      allowedUsers: [2001, 2002],
      allowedStreams: ['room_a', 'room-b'],
      roomCreators: [2001],
      commandsPerMinute: 0,
    });
    expect(() => loadConfig({ ...symphony, BOT_ALLOWED_USERS: 'alice' })).toThrow(/BOT_ALLOWED_USERS/);
  });

  it('takes MAILBOX_PARTITIONS from the shared Redis fragment (the one definition every service uses)', () => {
    expect(workerEnvSchema.shape.MAILBOX_PARTITIONS).toBe(redisEnvSchema.shape.MAILBOX_PARTITIONS);
    expect(loadRuntimeConfig({ MAILBOX_PARTITIONS: '32' }).MAILBOX_PARTITIONS).toBe(32);
  });
});
