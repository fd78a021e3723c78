import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testRsaKeyPair } from '@baton/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { interpolateBdkValue } from '../src/config/bdk-interpolate.ts';
import { readBdkConfigFile } from '../src/config/read-bdk-config-file.ts';
import { parseEnv, symphonyClientConfigFrom, symphonyEnvSchema } from '../src/index.ts';
import { configProblems } from './support/config-errors.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/bdk-config/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

// The shared fragment plus two of the ingester's variables, as a service schema would merge them.
const schema = symphonyEnvSchema.extend({
  FEED_VERSION: z.enum(['v2', 'v1', 'datahose']).default('v2'),
  MAX_BACKOFF_MS: z.coerce.number().int().positive().default(30_000),
});
const dir = mkdtempSync(join(tmpdir(), 'bdk-config-'));
const keyPath = join(dir, 'rsa.pem');
writeFileSync(keyPath, testRsaKeyPair().privateKeyPem);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const parse = (env: Record<string, string>) => parseEnv(schema, env, { service: 'test' });
const problemsOf = (env: Record<string, string>) => configProblems(() => parse(env));

describe('the BDK documentation examples', () => {
  it('minimal.yaml and minimal.json map to the same pod, bot and key file', () => {
    for (const name of ['minimal.yaml', 'minimal.json']) {
      const r = readBdkConfigFile(fixture(name), {});
      expect(r.problems).toEqual([]);
      expect(r.notices).toEqual([]);
      expect(r.values).toEqual({
        SYMPHONY_POD_URL: 'https://acme.symphony.com',
        SYMPHONY_LOGIN_URL: 'https://acme.symphony.com',
        SYMPHONY_AGENT_URL: 'https://acme.symphony.com',
        SYMPHONY_KEY_MANAGER_URL: 'https://acme.symphony.com',
        SYMPHONY_KEY_AUTH_URL: 'https://acme.symphony.com',
        SYMPHONY_SESSION_AUTH_URL: 'https://acme.symphony.com',
        SYMPHONY_BOT_USERNAME: 'bot-username',
        SYMPHONY_PRIVATE_KEY_FILE: '/path/to/bot/rsa-private-key.pem',
      });
    }
  });

  it('full.yaml: every block, proxy, timeouts and retries mapped; what Baton lacks is a notice or a problem', () => {
    const r = readBdkConfigFile(fixture('full.yaml'), {});
    expect(r.values).toMatchObject({
      SYMPHONY_POD_URL: 'https://dev.symphony.com',
      SYMPHONY_AGENT_URLS: 'https://agent1.symphony.com:7443/app,https://agent2.symphony.com',
      SYMPHONY_AGENT_LB_MODE: 'roundRobin',
      SYMPHONY_AGENT_LB_STICKINESS: 'false',
      SYMPHONY_KEY_MANAGER_URL: 'https://dev-key.symphony.com:8444',
      SYMPHONY_SESSION_AUTH_URL: 'https://dev-session.symphony.com:8444',
      HTTPS_PROXY: 'http://proxyuser:proxypassword@proxy.symphony.com:1234',
      SYMPHONY_TIMEOUT_MS: '60000',
      SYMPHONY_BOT_USERNAME: 'bot-name',
      SYMPHONY_PRIVATE_KEY_FILE: '/path/to/bot/rsa-private-key.pem',
      SYMPHONY_CERT_PKCS12_PATH: '/path/to/bot-certificate.p12',
      SYMPHONY_CERT_PASSWORD: 'changeit',
      SYMPHONY_RETRY_MAX_ATTEMPTS: '6',
      SYMPHONY_RETRY_INITIAL_INTERVAL_MS: '2000',
      SYMPHONY_RETRY_MULTIPLIER: '1.5',
      SYMPHONY_RETRY_MAX_INTERVAL_MS: '10000',
      FEED_VERSION: 'v2',
      MAX_BACKOFF_MS: '10000',
      SYMPHONY_APP_ID: 'app-id',
      SYMPHONY_APP_PRIVATE_KEY_FILE: 'path/to/private-key.pem',
    });
    const notices = r.notices.join('\n');
    expect(r.values.SYMPHONY_AGENT_URL).toBeUndefined();
    expect(notices).not.toMatch(/loadBalancing/);
    expect(notices).toMatch(/connectionTimeout, connectionPoolMax, connectionPoolPerRoute, defaultHeaders/);
    expect(notices).toMatch(/keyManager\.defaultHeaders/);
    expect(notices).not.toMatch(/ignored: app/);
    expect(notices).toMatch(/datafeed\.retry\.maxAttempts, datafeed\.retry\.initialIntervalMillis/);
    expect(notices).not.toMatch(/unknown keys/);
    // The trust store of the example does not exist here.
    expect(r.problems).toEqual([
      'ssl.trustStore.path: cannot read file "/path/to/all_symphony_certs_truststore" (ENOENT)',
    ]);
    // And it configures both an RSA key and a certificate, which Baton (like the BDK) refuses.
    const problems = problemsOf({ SYMPHONY_CONFIG_FILE: fixture('full.yaml') });
    expect(problems.map((p) => p.variable)).toEqual(
      expect.arrayContaining(['SYMPHONY_CONFIG_FILE', 'SYMPHONY_PRIVATE_KEY_FILE']),
    );
    expect(problems).toContainEqual({
      variable: 'SYMPHONY_PRIVATE_KEY_FILE',
      problem: expect.stringMatching(/\(ENOENT\) \(from SYMPHONY_CONFIG_FILE bot\.privateKey\.path\)$/),
    });
  });

  it('agent-proxy.yaml: a proxy for the agent only is refused (Baton has one proxy for every call)', () => {
    const problems = problemsOf({ SYMPHONY_CONFIG_FILE: fixture('agent-proxy.yaml') });
    expect(problems).toContainEqual({
      variable: 'SYMPHONY_CONFIG_FILE',
      problem: expect.stringMatching(/^agent\.proxy: a proxy per component is not supported/),
    });
  });

  it('interpolation.json: NAME:-default and NAME from the environment', () => {
    expect(readBdkConfigFile(fixture('interpolation.json'), { HOME: '/home/bot' }).values).toMatchObject({
      SYMPHONY_POD_URL: 'https://acme.symphony.com',
      SYMPHONY_PRIVATE_KEY_FILE: '/home/bot/rsa-private-key.pem',
    });
    expect(
      readBdkConfigFile(fixture('interpolation.json'), { subdomain: 'corp', HOME: '/h' }).values
        .SYMPHONY_POD_URL,
    ).toBe('https://corp.symphony.com');
  });
});

describe('interpolation', () => {
  const $ = '$';
  it('leaves an unset variable without default as written and unescapes a doubled dollar', () => {
    expect(interpolateBdkValue(`${$}{NOPE}/x`, {})).toBe(`${$}{NOPE}/x`);
    expect(interpolateBdkValue(`${$}${$}{HOME}`, { HOME: '/h' })).toBe(`${$}{HOME}`);
    expect(interpolateBdkValue(`${$}{A:-}b`, {})).toBe('b');
    expect(interpolateBdkValue(`${$}{A:-x}${$}{B}`, { A: 'a', B: 'b' })).toBe('ab');
  });
});

describe('SYMPHONY_CONFIG_FILE in the config loading step', () => {
  const yaml = (extra = '') =>
    write(
      `c${Math.random().toString(36).slice(2)}.yaml`,
      `host: pod.example\nport: 8443\nbot:\n  username: file-bot\n  privateKey:\n    path: ${keyPath}\ndatafeed:\n  version: V1\n${extra}`,
    );

  it('the file gives the values, the environment wins, and notices reach the client config', () => {
    const cfg = parse({ SYMPHONY_CONFIG_FILE: yaml('mystery: 1\n'), SYMPHONY_BOT_USERNAME: 'env-bot' });
    expect(cfg.SYMPHONY_POD_URL).toBe('https://pod.example:8443');
    expect(cfg.SYMPHONY_BOT_USERNAME).toBe('env-bot');
    expect(cfg.SYMPHONY_PRIVATE_KEY).toMatch(/BEGIN PRIVATE KEY/);
    expect(cfg.FEED_VERSION).toBe('v1');
    const client = symphonyClientConfigFrom(cfg);
    expect(client.notices).toEqual([expect.stringMatching(/unknown keys, ignored: mystery$/)]);
    expect(client.retry).toMatchObject({
      maxAttempts: 5,
      initialDelayMs: 500,
      multiplier: 2,
      maxDelayMs: 30_000,
    });
  });

  it('retry settings from the file, -1 meaning unbounded', () => {
    const cfg = parse({
      SYMPHONY_CONFIG_FILE: yaml('retry:\n  maxAttempts: -1\n  maxIntervalMillis: 1000\n'),
    });
    expect(symphonyClientConfigFrom(cfg).retry).toMatchObject({
      maxAttempts: Number.POSITIVE_INFINITY,
      maxDelayMs: 1000,
    });
  });

  it('an RSA key in the environment replaces a certificate of the file (no "both configured")', () => {
    const proper = write(
      'env-wins.yaml',
      `host: pod.example\nbot:\n  username: b\n  certificate:\n    path: /nope.p12\n    password: x\n`,
    );
    const cfg = parse({ SYMPHONY_CONFIG_FILE: proper, SYMPHONY_PRIVATE_KEY_FILE: keyPath });
    expect(cfg.SYMPHONY_CERT_PKCS12_PATH).toBeUndefined();
    expect(cfg.SYMPHONY_PRIVATE_KEY).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('a bad value from the file names the variable and the BDK key', () => {
    const problems = problemsOf({ SYMPHONY_CONFIG_FILE: yaml('readTimeout: soon\n') });
    expect(problems).toContainEqual({
      variable: 'SYMPHONY_TIMEOUT_MS',
      problem: expect.stringMatching(/got "soon" \(from SYMPHONY_CONFIG_FILE readTimeout\)$/),
    });
  });

  it('an unreadable or malformed file, and a PKCS#12/JKS trust store, fail naming SYMPHONY_CONFIG_FILE', () => {
    expect(problemsOf({ SYMPHONY_CONFIG_FILE: join(dir, 'missing.yaml') })).toContainEqual({
      variable: 'SYMPHONY_CONFIG_FILE',
      problem: expect.stringMatching(/cannot read file .*missing\.yaml" \(ENOENT\)/),
    });
    expect(problemsOf({ SYMPHONY_CONFIG_FILE: write('bad.yaml', 'host: [unclosed\n') })).toContainEqual({
      variable: 'SYMPHONY_CONFIG_FILE',
      problem: expect.stringMatching(/neither JSON nor YAML/),
    });
    const jks = write('store.jks', '\u00fe\u00ed\u00fe\u00ed binary');
    expect(
      problemsOf({ SYMPHONY_CONFIG_FILE: yaml(`ssl:\n  trustStore:\n    path: ${jks}\n`) }),
    ).toContainEqual({
      variable: 'SYMPHONY_CONFIG_FILE',
      problem: expect.stringMatching(/is not PEM.*openssl pkcs12 .*keytool -importkeystore/),
    });
  });

  it('a PEM trust store becomes SYMPHONY_CA_CERT', () => {
    const pem = `-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n`;
    const ca = write('ca.pem', pem);
    const cfg = parse({
      SYMPHONY_CONFIG_FILE: yaml(`ssl:\n  trustStore:\n    path: ${ca}\n    password: changeit\n`),
    });
    expect(cfg.SYMPHONY_CA_CERT).toBe(pem.trimEnd());
    expect(symphonyClientConfigFrom(cfg).notices).toEqual([]);
  });
});
