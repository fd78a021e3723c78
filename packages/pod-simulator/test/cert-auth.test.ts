import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import {
  AuthenticationRejectedError,
  type ClientCertificate,
  type ClosableSymphonyClient,
  createLogger,
  createSymphonyClient,
} from '@baton/shared';
import { createThrowawayCa, type IssuedCertificate, type ThrowawayCa } from '@baton/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { simTest } from './support/sim-test.ts';

/**
 * Certificate authentication over real mutual TLS: a throwaway CA (openssl) issues the bot's certificate, the
 * simulator's mTLS listener trusts that CA; the shared client authenticates with the PEM pair or the PKCS#12 file.
 */
let ca: ThrowawayCa;
let stranger: ThrowawayCa;
let botCert: IssuedCertificate;
const clients: ClosableSymphonyClient[] = [];
const logger = createLogger({ level: 'silent', name: 'cert-auth-test' });

beforeAll(() => {
  ca = createThrowawayCa();
  stranger = createThrowawayCa('Someone Else CA');
  botCert = ca.issue('cert-bot', { p12Password: 's3cret' });
});
// Read when the simulator starts, in the first test: after the CA above.
simTest.override('simOptions', () => ({ longPollMs: 200, certAuth: { caCertPem: ca.certPem } }));

/**
 * `simTest` plus `botId`: the bot user `cert-bot`, without a key (it logs in with `botCert`), there from the
 * first test on (`auto`), since every certificate login below names it.
 */
const certTest = simTest.extend('botId', { scope: 'file', auto: true }, ({ sim }) => {
  return sim.control.createUser({ username: 'cert-bot', displayName: 'Cert Bot', bot: true }).userId;
});
afterAll(() => {
  for (const c of clients) c.close();
  ca?.remove();
  stranger?.remove();
});

function clientWith(sim: Simulator, certificate: ClientCertificate): ClosableSymphonyClient {
  const client = createSymphonyClient(
    {
      podUrl: sim.url,
      sessionAuthUrl: sim.certAuthUrl as string,
      keyAuthUrl: sim.certAuthUrl as string,
      botUsername: 'cert-bot',
      certificate,
      ...(sim.caCertPem ? { caCertPem: sim.caCertPem } : {}),
      retry: { maxAttempts: 1 },
    },
    { logger },
  );
  clients.push(client);
  return client;
}

const logins = (sim: Simulator): number =>
  sim.control.stats().requests['POST /sessionauth/v1/authenticate'] ?? 0;

/** A bodiless POST to the mTLS listener with an optional client certificate: status and JSON body. */
function rawPost(
  sim: Simulator,
  path: string,
  cert?: IssuedCertificate,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.certAuthUrl}${path}`,
      {
        method: 'POST',
        ca: sim.caCertPem,
        ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}),
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('certificate authentication (mutual TLS)', () => {
  certTest(
    'issues a session token and a key manager token to a certificate signed by the CA whose CN is the bot',
    async ({ sim }) => {
      const s = await rawPost(sim, '/sessionauth/v1/authenticate', botCert);
      const k = await rawPost(sim, '/keyauth/v1/authenticate', botCert);
      expect(s).toMatchObject({ status: 200, body: { name: 'sessionToken', token: expect.any(String) } });
      expect(k).toMatchObject({ status: 200, body: { name: 'keyManagerToken', token: expect.any(String) } });
    },
  );

  certTest(
    'answers 401 without a client certificate and for one from another CA, 403 for a CN that is no user',
    async ({ sim }) => {
      expect(await rawPost(sim, '/sessionauth/v1/authenticate')).toEqual({
        status: 401,
        body: { code: 401, message: 'Unauthorized: no client certificate was presented' },
      });
      const untrusted = await rawPost(sim, '/keyauth/v1/authenticate', stranger.issue('cert-bot'));
      expect(untrusted.status).toBe(401);
      expect(untrusted.body).toMatchObject({
        code: 401,
        message: expect.stringMatching(/invalid client certificate/),
      });
      expect(await rawPost(sim, '/sessionauth/v1/authenticate', ca.issue('nobody'))).toEqual({
        status: 403,
        body: {
          code: 403,
          message: 'Forbidden: Certificate authentication is not allowed for the requested user.',
        },
      });
    },
  );

  certTest(
    'does not serve certificate authentication on the main listener, nor RSA login on the mTLS one',
    async ({ sim }) => {
      const main = await fetch(`${sim.url}/sessionauth/v1/authenticate`, { method: 'POST' });
      expect(main.status).toBe(404);
      expect((await rawPost(sim, '/login/pubkey/authenticate', botCert)).status).toBe(404);
    },
  );

  certTest(
    'the shared client authenticates with a PEM certificate + key and calls the pod',
    async ({ sim, botId }) => {
      const client = clientWith(sim, { certPem: botCert.certPem, keyPem: botCert.keyPem });
      expect((await client.getSessionInfo()).id).toBe(botId);
    },
  );

  certTest(
    'the shared client authenticates with a PKCS#12 file and re-authenticates by certificate after a 401',
    async ({ sim, botId }) => {
      const client = clientWith(sim, { pfx: readFileSync(botCert.p12Path), passphrase: botCert.p12Password });
      expect((await client.getSessionInfo()).id).toBe(botId);
      const before = logins(sim);
      sim.control.invalidateSessions(botId);
      expect((await client.getSessionInfo()).id).toBe(botId);
      expect(logins(sim)).toBe(before + 1);
    },
  );

  certTest(
    'a rejected certificate is AuthenticationRejectedError naming the endpoint, not retried',
    async ({ sim }) => {
      const other = stranger.issue('cert-bot');
      const client = clientWith(sim, { certPem: other.certPem, keyPem: other.keyPem });
      const error = await client.getSessionInfo().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationRejectedError);
      expect((error as AuthenticationRejectedError).status).toBe(401);
      expect((error as Error).message).toMatch(/\/(sessionauth|keyauth)\/v1\/authenticate.*cert-bot/);
      const wrongCn = ca.issue('not-the-bot');
      const mismatched = clientWith(sim, { certPem: wrongCn.certPem, keyPem: wrongCn.keyPem });
      const e2 = await mismatched.getSessionInfo().catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(AuthenticationRejectedError);
      expect((e2 as AuthenticationRejectedError).status).toBe(403);
    },
  );
});
