import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { testRsaKeyPair } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readBdkConfigFile } from '../src/config/read-bdk-config-file.ts';
import { oboClientConfigFrom, parseEnv, symphonyEnvSchema } from '../src/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { configProblems } from './support/config-errors.ts';

// The on-behalf-of app's configuration: SYMPHONY_APP_ID + SYMPHONY_APP_PRIVATE_KEY(_FILE), the BDK file's `app`
// block, and app-only processes (no bot account) where a schema allows them.

const dir = mkdtempSync(join(tmpdir(), 'obo-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const appKey = testRsaKeyPair().privateKeyPem;
const appKeyPath = join(dir, 'app.pem');
writeFileSync(appKeyPath, appKey);
const botKey = testRsaKeyPair().privateKeyPem;

const bot = {
  SYMPHONY_POD_URL: 'https://pod.example.com',
  SYMPHONY_BOT_USERNAME: 'bot',
  SYMPHONY_PRIVATE_KEY: botKey,
};
/** A schema like the worker's: the bot account optional (an app-only process is allowed). */
const appOnlySchema = symphonyEnvSchema.extend({
  SYMPHONY_BOT_USERNAME: symphonyEnvSchema.shape.SYMPHONY_BOT_USERNAME.optional(),
});

const problemsOf = configProblems;

describe('SYMPHONY_APP_ID / SYMPHONY_APP_PRIVATE_KEY', () => {
  it('read with the bot: the OBO client config shares the pod URLs, timeout and retries', () => {
    const env = parseEnv(
      symphonyEnvSchema,
      {
        ...bot,
        SYMPHONY_APP_ID: 'announcer',
        SYMPHONY_APP_PRIVATE_KEY_FILE: appKeyPath,
        SYMPHONY_TIMEOUT_MS: '5000',
      },
      { service: 'test' },
    );
    expect(oboClientConfigFrom(env)).toEqual({
      podUrl: 'https://pod.example.com',
      agentUrl: 'https://pod.example.com',
      loginUrl: 'https://pod.example.com',
      appId: 'announcer',
      appPrivateKeyPem: appKey.replace(/\n$/, ''),
      sessionMaxAgeMs: 3_000_000,
      timeoutMs: 5000,
      retry: {
        maxAttempts: 5,
        initialDelayMs: 500,
        multiplier: 2,
        maxDelayMs: 30_000,
        maxRetryAfterMs: 60_000,
      },
    });
  });

  it('no app: no OBO client config', () => {
    expect(oboClientConfigFrom(parseEnv(symphonyEnvSchema, bot, { service: 'test' }))).toBeUndefined();
  });

  it('one without the other, or a key that does not load, fails the start naming the variable (key hidden)', () => {
    expect(
      problemsOf(() => parseEnv(symphonyEnvSchema, { ...bot, SYMPHONY_APP_ID: 'a' }, { service: 'test' })),
    ).toEqual([
      { variable: 'SYMPHONY_APP_PRIVATE_KEY', problem: 'required with SYMPHONY_APP_ID but not set' },
    ]);
    expect(
      problemsOf(() =>
        parseEnv(symphonyEnvSchema, { ...bot, SYMPHONY_APP_PRIVATE_KEY: appKey }, { service: 'test' }),
      ),
    ).toEqual([
      { variable: 'SYMPHONY_APP_ID', problem: 'required with SYMPHONY_APP_PRIVATE_KEY but not set' },
    ]);
    const broken = '-----BEGIN PRIVATE KEY-----\nMIIBnot-a-key\n-----END PRIVATE KEY-----';
    const problems = problemsOf(() =>
      parseEnv(
        symphonyEnvSchema,
        { ...bot, SYMPHONY_APP_ID: 'a', SYMPHONY_APP_PRIVATE_KEY: broken },
        { service: 't' },
      ),
    );
    expect(problems).toEqual([
      { variable: 'SYMPHONY_APP_PRIVATE_KEY', problem: expect.stringMatching(/^not a usable private key/) },
    ]);
    expect(JSON.stringify(problems)).not.toContain('not-a-key');
  });
});

describe('app-only (no bot account)', () => {
  const app = {
    SYMPHONY_POD_URL: 'https://pod.example.com',
    SYMPHONY_APP_ID: 'a',
    SYMPHONY_APP_PRIVATE_KEY: appKey,
  };

  it('is accepted by a schema whose bot username is optional', () => {
    const env = parseEnv(appOnlySchema, app, { service: 'worker' });
    expect(env.SYMPHONY_BOT_USERNAME).toBeUndefined();
    expect(oboClientConfigFrom(env)?.appId).toBe('a');
  });

  it('is refused by a schema that needs the bot (the ingester): the username is required', () => {
    expect(problemsOf(() => parseEnv(symphonyEnvSchema, app, { service: 'ingester' }))).toEqual([
      { variable: 'SYMPHONY_BOT_USERNAME', problem: 'required but not set' },
    ]);
  });

  it('neither bot nor app, or a bot key without its username: said plainly', () => {
    const pod = { SYMPHONY_POD_URL: 'https://pod.example.com' };
    expect(problemsOf(() => parseEnv(appOnlySchema, pod, { service: 'worker' }))).toEqual([
      {
        variable: 'SYMPHONY_BOT_USERNAME',
        problem:
          'required but not set (or set SYMPHONY_APP_ID + SYMPHONY_APP_PRIVATE_KEY alone for an app-only worker)',
      },
      { variable: 'SYMPHONY_PRIVATE_KEY', problem: expect.stringMatching(/^required but not set/) },
    ]);
    expect(
      problemsOf(() =>
        parseEnv(appOnlySchema, { ...app, SYMPHONY_PRIVATE_KEY: botKey }, { service: 'worker' }),
      ),
    ).toEqual([
      {
        variable: 'SYMPHONY_BOT_USERNAME',
        problem: "required with the bot's key or certificate but not set",
      },
    ]);
  });
});

describe('the BDK config file’s app block', () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('maps app.appId and app.privateKey (path or content) and makes an app-only config without `bot`', () => {
    const file = write(
      'app-only.yaml',
      `host: acme.symphony.com\napp:\n  appId: announcer\n  privateKey:\n    path: ${appKeyPath}\n`,
    );
    const r = readBdkConfigFile(file, {});
    expect(r.values).toMatchObject({
      SYMPHONY_APP_ID: 'announcer',
      SYMPHONY_APP_PRIVATE_KEY_FILE: appKeyPath,
    });
    expect(r.notices).toEqual([]);
    const env = parseEnv(appOnlySchema, { SYMPHONY_CONFIG_FILE: file }, { service: 'worker' });
    expect(env.SYMPHONY_APP_ID).toBe('announcer');
    expect(env.SYMPHONY_APP_PRIVATE_KEY).toBe(appKey.replace(/\n$/, ''));
    const content = write(
      'content.json',
      JSON.stringify({
        host: 'acme.symphony.com',
        app: { appId: 'x', privateKey: { content: Buffer.from(appKey).toString('base64') } },
      }),
    );
    expect(readBdkConfigFile(content, {}).values.SYMPHONY_APP_PRIVATE_KEY).toBe(appKey);
  });

  it('an app certificate is a notice (OBO uses the RSA key); the environment’s app replaces the file’s', () => {
    const file = write(
      'app-cert.yaml',
      `host: acme.symphony.com\napp:\n  appId: from-file\n  certificate:\n    path: /x.p12\n    password: pw\n`,
    );
    expect(readBdkConfigFile(file, {}).notices).toEqual([
      `not supported, ignored: app.certificate (on-behalf-of uses the app's RSA key: app.privateKey)`,
    ]);
    const env = parseEnv(
      symphonyEnvSchema,
      { ...bot, SYMPHONY_CONFIG_FILE: file, SYMPHONY_APP_ID: 'from-env', SYMPHONY_APP_PRIVATE_KEY: appKey },
      { service: 'test' },
    );
    expect(env.SYMPHONY_APP_ID).toBe('from-env');
  });
});

describe('logging the app’s secrets', () => {
  it('redacts the app key in every shape the OBO code or a config dump logs it', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'info', name: 'test', destination });
    logger.info({ appPrivateKeyPem: 'SECRET-1', SYMPHONY_APP_PRIVATE_KEY: 'SECRET-2' });
    logger.info({ config: { appPrivateKeyPem: 'SECRET-3', appId: 'announcer' } }, 'config');
    logger.info({ env: { SYMPHONY_APP_PRIVATE_KEY: 'SECRET-4' }, res: { token: 'SECRET-5' } }, 'nested');
    const out = lines.join('');
    expect(out).not.toMatch(/SECRET-\d/);
    expect(out).toContain('announcer');
  });
});
