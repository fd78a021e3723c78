import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeEnv,
  envBoolean,
  logEnvSchema,
  parseEnv,
  redisEnvSchema,
  symphonyClientConfigFrom,
  symphonyEnvSchema,
} from '../src/config/index.ts';
import { configError } from './support/config-errors.ts';

const { path: dir, remove } = makeTempDir('baton-config-');
afterAll(remove);

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----';
const schema = z.object({ ...symphonyEnvSchema.shape, ...redisEnvSchema.shape, ...logEnvSchema.shape });
const minimal = {
  SYMPHONY_POD_URL: 'https://pod.example',
  SYMPHONY_BOT_USERNAME: 'bot',
  SYMPHONY_PRIVATE_KEY: PEM,
};

describe('parseEnv', () => {
  it('applies defaults and coercion, and maps to the Symphony client config', () => {
    const cfg = parseEnv(schema, minimal, { service: 'ingester' });
    expect(cfg).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      BATON_PREFIX: 'baton',
      LOG_LEVEL: 'info',
      LOG_PRETTY: false,
      SYMPHONY_TIMEOUT_MS: 20_000,
    });
    expect(symphonyClientConfigFrom(cfg)).toMatchObject({
      podUrl: 'https://pod.example',
      agentUrl: 'https://pod.example',
      keyManagerUrl: 'https://pod.example',
      loginUrl: 'https://pod.example',
      botUsername: 'bot',
      privateKeyPem: PEM,
      timeoutMs: 20_000,
      datafeedTimeoutMs: 35_000,
    });
    const custom = parseEnv(
      schema,
      {
        ...minimal,
        SYMPHONY_AGENT_URL: 'https://agent.example',
        SYMPHONY_TIMEOUT_MS: '5000',
        REDIS_SENTINELS: 'a:1, b:2',
      },
      { service: 'x' },
    );
    expect(symphonyClientConfigFrom(custom).agentUrl).toBe('https://agent.example');
    expect(custom.SYMPHONY_TIMEOUT_MS).toBe(5000);
    expect(custom.REDIS_SENTINELS).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
  });

  it('returns a deep-frozen object', () => {
    const cfg = parseEnv(schema, { ...minimal, REDIS_CLUSTER_NODES: 'n1:7000' }, { service: 'x' });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.REDIS_CLUSTER_NODES)).toBe(true);
    expect(Object.isFrozen(cfg.REDIS_CLUSTER_NODES?.[0])).toBe(true);
    expect(() => {
      (cfg as { BATON_PREFIX: string }).BATON_PREFIX = 'other';
    }).toThrow(TypeError);
  });

  it('names every bad variable and what was expected, without echoing secrets', () => {
    const error = configError(() =>
      parseEnv(
        schema,
        {
          SYMPHONY_POD_URL: 'nope',
          SYMPHONY_PRIVATE_KEY: 'hunter2-secret',
          LOG_PRETTY: 'maybe',
          SYMPHONY_TIMEOUT_MS: '-1',
        },
        { service: 'ingester' },
      ),
    );
    expect(error.message).toMatch(/^Invalid configuration for ingester:\n/);
    expect(error.message).toContain('  - SYMPHONY_POD_URL: expected an http(s) URL, got "nope"');
    expect(error.message).toContain('  - SYMPHONY_BOT_USERNAME: required but not set');
    expect(error.message).toContain('  - SYMPHONY_PRIVATE_KEY: expected a PEM private key, got <hidden');
    expect(error.message).toContain('  - LOG_PRETTY: expected a boolean');
    expect(error.message).toContain('  - SYMPHONY_TIMEOUT_MS: expected a positive integer, got "-1"');
    expect(error.message).not.toContain('hunter2');
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      [
        'LOG_PRETTY',
        'SYMPHONY_BOT_USERNAME',
        'SYMPHONY_POD_URL',
        'SYMPHONY_PRIVATE_KEY',
        'SYMPHONY_TIMEOUT_MS',
      ].sort(),
    );
  });

  it('masks credentials in URLs it echoes', () => {
    const error = configError(() =>
      parseEnv(schema, { ...minimal, REDIS_URL: 'http://user:pa55@host:6379' }, { service: 'worker' }),
    );
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).not.toContain('pa55');
  });

  it('reads X from X_FILE (trailing newline trimmed); X itself wins; empty counts as unset', () => {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, `${PEM}\n`);
    const cfg = parseEnv(
      schema,
      { ...minimal, SYMPHONY_PRIVATE_KEY: '', SYMPHONY_PRIVATE_KEY_FILE: keyFile, LOG_LEVEL: '' },
      { service: 'x' },
    );
    expect(cfg.SYMPHONY_PRIVATE_KEY).toBe(PEM);
    expect(cfg.LOG_LEVEL).toBe('info');

    const other = join(dir, 'other.txt');
    writeFileSync(other, 'from-file\n');
    expect(
      parseEnv(schema, { ...minimal, SYMPHONY_BOT_USERNAME_FILE: other }, { service: 'x' })
        .SYMPHONY_BOT_USERNAME,
    ).toBe('bot');
  });

  it('reports an unreadable X_FILE and a bad value from a file by name', () => {
    const missing = configError(() =>
      parseEnv(
        schema,
        { ...minimal, SYMPHONY_PRIVATE_KEY: undefined, SYMPHONY_PRIVATE_KEY_FILE: join(dir, 'absent.pem') },
        { service: 'x' },
      ),
    );
    expect(missing.message).toContain('SYMPHONY_PRIVATE_KEY_FILE: cannot read file');
    expect(missing.message).toContain('ENOENT');

    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'not a key\n');
    const wrong = configError(() =>
      parseEnv(
        schema,
        { ...minimal, SYMPHONY_PRIVATE_KEY: undefined, SYMPHONY_PRIVATE_KEY_FILE: bad },
        { service: 'x' },
      ),
    );
    expect(wrong.message).toContain('SYMPHONY_PRIVATE_KEY: expected a PEM private key');
    expect(wrong.message).toContain('(from SYMPHONY_PRIVATE_KEY_FILE)');
  });
});

describe('envBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('%s → %s', (input, expected) => {
    expect(envBoolean().parse(input)).toBe(expected);
  });

  it('rejects anything else', () => {
    expect(envBoolean().safeParse('maybe').success).toBe(false);
  });
});

describe('describeEnv', () => {
  it('lists every variable with its description, default and whether it is required', () => {
    const rows = describeEnv(schema);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(rows).toHaveLength(Object.keys(schema.shape).length);
    expect(byName.get('SYMPHONY_POD_URL')).toMatchObject({ required: true, default: undefined });
    expect(byName.get('SYMPHONY_AGENT_URL')).toMatchObject({ required: false, default: 'SYMPHONY_POD_URL' });
    expect(byName.get('REDIS_URL')).toMatchObject({ required: false, default: 'redis://127.0.0.1:6379' });
    expect(byName.get('SYMPHONY_TIMEOUT_MS')).toMatchObject({ required: false, default: '20000' });
    expect(byName.get('LOG_PRETTY')).toMatchObject({ required: false, default: 'false' });
    expect(byName.get('SYMPHONY_PRIVATE_KEY')?.fileVariant).toBe('SYMPHONY_PRIVATE_KEY_FILE');
    for (const row of rows) expect(row.description, row.name).not.toBe('');
  });
});

describe('MAILBOX_PARTITIONS (one definition, in the shared Redis fragment)', () => {
  it('defaults to 16 and refuses what cannot be a partition count', () => {
    expect(parseEnv(redisEnvSchema, {}, { service: 'x' }).MAILBOX_PARTITIONS).toBe(16);
    expect(parseEnv(redisEnvSchema, { MAILBOX_PARTITIONS: '64' }, { service: 'x' }).MAILBOX_PARTITIONS).toBe(
      64,
    );
    for (const bad of ['0', '-2', '1.5', 'many', '1e999', '16385']) {
      const error = configError(() =>
        parseEnv(redisEnvSchema, { MAILBOX_PARTITIONS: bad }, { service: 'x' }),
      );
      expect(
        error.problems.map((p) => p.variable),
        bad,
      ).toEqual(['MAILBOX_PARTITIONS']);
    }
  });
});
