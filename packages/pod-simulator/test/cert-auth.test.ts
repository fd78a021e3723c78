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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';

/**
 * Certificate authentication over real mutual TLS: a throwaway CA (openssl) issues the bot's certificate, the
 * simulator's mTLS listener trusts that CA; the shared client authenticates with the PEM pair or the PKCS#12 file.
 */
let ca: ThrowawayCa;
let stranger: ThrowawayCa;
let sim: Simulator;
let botId: number;
let botCert: IssuedCertificate;
const clients: ClosableSymphonyClient[] = [];
const logger = createLogger({ level: 'silent', name: 'cert-auth-test' });

beforeAll(async () => {
  ca = createThrowawayCa();
  stranger = createThrowawayCa('Someone Else CA');
  botCert = ca.issue('cert-bot', { p12Password: 's3cret' });
  sim = await createSimulator({ longPollMs: 200, certAuth: { caCertPem: ca.certPem } });
  botId = sim.control.createUser({ username: 'cert-bot', displayName: 'Cert Bot', bot: true }).userId;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim?.close();
  ca?.remove();
  stranger?.remove();
});

function clientWith(certificate: ClientCertificate): ClosableSymphonyClient {
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

const logins = (): number => sim.control.stats().requests['POST /sessionauth/v1/authenticate'] ?? 0;

/** A bodiless POST to the mTLS listener with an optional client certificate: status and JSON body. */
function rawPost(path: string, cert?: IssuedCertificate): Promise<{ status: number; body: unknown }> {
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
  it('issues a session token and a key manager token to a certificate signed by the CA whose CN is the bot', async () => {
    const s = await rawPost('/sessionauth/v1/authenticate', botCert);
    const k = await rawPost('/keyauth/v1/authenticate', botCert);
    expect(s).toMatchObject({ status: 200, body: { name: 'sessionToken', token: expect.any(String) } });
    expect(k).toMatchObject({ status: 200, body: { name: 'keyManagerToken', token: expect.any(String) } });
  });

  it('answers 401 without a client certificate and for one from another CA, 403 for a CN that is no user', async () => {
    expect(await rawPost('/sessionauth/v1/authenticate')).toEqual({
      status: 401,
      body: { code: 401, message: 'Unauthorized: no client certificate was presented' },
    });
    const untrusted = await rawPost('/keyauth/v1/authenticate', stranger.issue('cert-bot'));
    expect(untrusted.status).toBe(401);
    expect(untrusted.body).toMatchObject({
      code: 401,
      message: expect.stringMatching(/invalid client certificate/),
    });
    expect(await rawPost('/sessionauth/v1/authenticate', ca.issue('nobody'))).toEqual({
      status: 403,
      body: {
        code: 403,
        message: 'Forbidden: Certificate authentication is not allowed for the requested user.',
      },
    });
  });

  it('does not serve certificate authentication on the main listener, nor RSA login on the mTLS one', async () => {
    const main = await fetch(`${sim.url}/sessionauth/v1/authenticate`, { method: 'POST' });
    expect(main.status).toBe(404);
    expect((await rawPost('/login/pubkey/authenticate', botCert)).status).toBe(404);
  });

  it('the shared client authenticates with a PEM certificate + key and calls the pod', async () => {
    const client = clientWith({ certPem: botCert.certPem, keyPem: botCert.keyPem });
    expect((await client.getSessionInfo()).id).toBe(botId);
  });

  it('the shared client authenticates with a PKCS#12 file and re-authenticates by certificate after a 401', async () => {
    const client = clientWith({ pfx: readFileSync(botCert.p12Path), passphrase: botCert.p12Password });
    expect((await client.getSessionInfo()).id).toBe(botId);
    const before = logins();
    sim.control.invalidateSessions(botId);
    expect((await client.getSessionInfo()).id).toBe(botId);
    expect(logins()).toBe(before + 1);
  });

  it('a rejected certificate is AuthenticationRejectedError naming the endpoint, not retried', async () => {
    const other = stranger.issue('cert-bot');
    const client = clientWith({ certPem: other.certPem, keyPem: other.keyPem });
    const error = await client.getSessionInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationRejectedError);
    expect((error as AuthenticationRejectedError).status).toBe(401);
    expect((error as Error).message).toMatch(/\/(sessionauth|keyauth)\/v1\/authenticate.*cert-bot/);
    const wrongCn = ca.issue('not-the-bot');
    const mismatched = clientWith({ certPem: wrongCn.certPem, keyPem: wrongCn.keyPem });
    const e2 = await mismatched.getSessionInfo().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(AuthenticationRejectedError);
    expect((e2 as AuthenticationRejectedError).status).toBe(403);
  });
});
