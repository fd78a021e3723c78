import { freePort } from '@baton/shared';
import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { createThrowawayCa, type ThrowawayCa, waitFor } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EStack, startE2EStack } from './support/e2e-stack.ts';

/**
 * Certificate authentication end to end: a private CA issues the simulator's server certificate and the bot's
 * client certificate (CN = the bot username); the ingester (PEM certificate + key) and a worker process (PKCS#12)
 * authenticate over mutual TLS on the simulator's certificate-auth listener, with no RSA key at all, and the bot
 * answers a message.
 */
let server: TestRedis;
let ca: ThrowawayCa;
let stack: E2EStack;

beforeAll(async () => {
  server = await startTestRedis();
  ca = createThrowawayCa();
  const serverCert = ca.issue('localhost', { server: true });
  const botCert = ca.issue('baton-bot', { p12Password: 'e2e-pass' });
  const certAuthPort = await freePort();
  const certAuthUrl = `https://127.0.0.1:${certAuthPort}`;
  const common = {
    SYMPHONY_PRIVATE_KEY: '', // empty = unset: no RSA key anywhere
    SYMPHONY_CA_CERT_FILE: ca.certPath,
    SYMPHONY_SESSION_AUTH_URL: certAuthUrl,
    SYMPHONY_KEY_AUTH_URL: certAuthUrl,
  };
  stack = await startE2EStack({
    redisUrl: server.url,
    sim: {
      https: { cert: serverCert.certPem, key: serverCert.keyPem },
      certAuth: { caCertPem: ca.certPem, port: certAuthPort },
    },
    ingesterEnv: { ...common, SYMPHONY_CERT_FILE: botCert.certPath, SYMPHONY_CERT_KEY_FILE: botCert.keyPath },
    workerEnv: {
      ...common,
      SYMPHONY_CERT_PKCS12_PATH: botCert.p12Path,
      SYMPHONY_CERT_PASSWORD: botCert.p12Password,
    },
  });
  expect(stack.sim.certAuthUrl).toBe(certAuthUrl);
  await stack.spawnWorker('cert-w1');
});

afterAll(async () => {
  await stack?.close();
  await server?.close();
  ca?.remove();
});

describe('certificate authentication end to end', () => {
  it('the ingester and a worker log in by certificate only, and the bot answers', async () => {
    const room = stack.room('cert-room');
    stack.say(room, 'hello over mTLS');
    await waitFor(
      'the reply',
      () => stack.botMessages(room).length > 0,
      30_000,
      () => [...stack.workers.values()].map((w) => w.output()).join('\n'),
    );
    expect(stack.botMessages(room).map((m) => m.text)).toEqual(['echo hello over mTLS']);
    const requests = stack.sim.control.stats().requests;
    // Both services authenticated by certificate (one login each at least), and nobody by RSA.
    expect(requests['POST /sessionauth/v1/authenticate'] ?? 0).toBeGreaterThanOrEqual(2);
    expect(requests['POST /keyauth/v1/authenticate'] ?? 0).toBeGreaterThanOrEqual(2);
    expect(requests['POST /login/pubkey/authenticate'] ?? 0).toBe(0);
    expect(requests['POST /relay/pubkey/authenticate'] ?? 0).toBe(0);
  });
});
