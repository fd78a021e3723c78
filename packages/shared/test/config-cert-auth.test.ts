import { createThrowawayCa, type IssuedCertificate, type ThrowawayCa, testRsaKeyPair } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, parseEnv, symphonyClientConfigFrom, symphonyEnvSchema } from '../src/index.ts';
import { configError } from './support/config-errors.ts';

let ca: ThrowawayCa;
let cert: IssuedCertificate;
let other: IssuedCertificate;
const rsaPem = testRsaKeyPair().privateKeyPem;

beforeAll(() => {
  ca = createThrowawayCa();
  cert = ca.issue('cert-bot', { p12Password: 'open-sesame' });
  other = ca.issue('someone');
});
afterAll(() => ca?.remove());

const base = { SYMPHONY_POD_URL: 'https://pod.example', SYMPHONY_BOT_USERNAME: 'cert-bot' };
const parse = (env: Record<string, string>) =>
  parseEnv(symphonyEnvSchema, { ...base, ...env }, { service: 'test' });
const failure = (env: Record<string, string>): ConfigError => configError(() => parse(env));

describe('certificate authentication variables', () => {
  it('a PEM certificate + key (as files) select certificate authentication', () => {
    const cfg = parse({ SYMPHONY_CERT_FILE: cert.certPath, SYMPHONY_CERT_KEY_FILE: cert.keyPath });
    const client = symphonyClientConfigFrom(cfg);
    expect(client.privateKeyPem).toBeUndefined();
    expect(client.certificate).toEqual({ certPem: cert.certPem.trimEnd(), keyPem: cert.keyPem.trimEnd() });
    expect(client.sessionAuthUrl).toBe('https://pod.example');
    expect(client.keyAuthUrl).toBe('https://pod.example');
  });

  it('a PKCS#12 file with its password; key auth defaults to the key manager origin', () => {
    const cfg = parse({
      SYMPHONY_CERT_PKCS12_PATH: cert.p12Path,
      SYMPHONY_CERT_PASSWORD: 'open-sesame',
      SYMPHONY_KEY_MANAGER_URL: 'https://km.example',
      SYMPHONY_SESSION_AUTH_URL: 'https://sessionauth.example',
    });
    const client = symphonyClientConfigFrom(cfg);
    expect(client.certificate).toMatchObject({ pfx: expect.any(Buffer), passphrase: 'open-sesame' });
    expect(client.keyAuthUrl).toBe('https://km.example');
    expect(client.sessionAuthUrl).toBe('https://sessionauth.example');
  });

  it('fails at start naming the variable: wrong PKCS#12 password, unreadable file, never echoing the secret', () => {
    const wrong = failure({ SYMPHONY_CERT_PKCS12_PATH: cert.p12Path, SYMPHONY_CERT_PASSWORD: 'guess-again' });
    expect(wrong.problems).toEqual([
      { variable: 'SYMPHONY_CERT_PASSWORD', problem: 'does not open the PKCS#12 file' },
    ]);
    expect(wrong.message).not.toContain('guess-again');
    expect(failure({ SYMPHONY_CERT_PKCS12_PATH: cert.p12Path }).problems).toEqual([
      { variable: 'SYMPHONY_CERT_PASSWORD', problem: 'required: the PKCS#12 file is encrypted' },
    ]);
    expect(failure({ SYMPHONY_CERT_PKCS12_PATH: '/nope/bot.p12' }).problems).toEqual([
      { variable: 'SYMPHONY_CERT_PKCS12_PATH', problem: 'cannot read file "/nope/bot.p12" (ENOENT)' },
    ]);
  });

  it('fails naming the variable: a certificate without its key, a key that is not its key, RSA and a certificate', () => {
    expect(failure({ SYMPHONY_CERT: cert.certPem }).problems).toEqual([
      { variable: 'SYMPHONY_CERT_KEY', problem: 'required with SYMPHONY_CERT but not set' },
    ]);
    expect(failure({ SYMPHONY_CERT: cert.certPem, SYMPHONY_CERT_KEY: other.keyPem }).problems).toEqual([
      { variable: 'SYMPHONY_CERT_KEY', problem: 'is not the private key of SYMPHONY_CERT' },
    ]);
    expect(
      failure({ SYMPHONY_PRIVATE_KEY: rsaPem, SYMPHONY_CERT: cert.certPem, SYMPHONY_CERT_KEY: cert.keyPem })
        .problems[0]?.variable,
    ).toBe('SYMPHONY_PRIVATE_KEY');
    expect(failure({}).problems).toEqual([
      {
        variable: 'SYMPHONY_PRIVATE_KEY',
        problem: expect.stringMatching(/^required but not set \(or set a certificate/),
      },
    ]);
  });

  it('RSA alone still works as before', () => {
    expect(symphonyClientConfigFrom(parse({ SYMPHONY_PRIVATE_KEY: rsaPem })).privateKeyPem).toBe(rsaPem);
  });
});
