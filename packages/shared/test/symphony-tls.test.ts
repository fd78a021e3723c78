import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testRsaKeyPair } from '@baton/testing';
import pino from 'pino';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, createSymphonyClient } from '../src/symphony/index.ts';

// An HTTPS "pod" whose certificate is signed by a private, self-signed CA.
let server: Server;
let baseUrl: string;
let caPem: string;
const { privateKeyPem } = testRsaKeyPair();

beforeAll(async () => {
  const ca = await generate([{ name: 'commonName', value: 'Baton Test CA' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  caPem = ca.cert;
  server = createServer({ key: leaf.private, cert: leaf.cert }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (req.url?.endsWith('/pubkey/authenticate'))
      res.end(JSON.stringify({ token: 't', name: 'sessionToken' }));
    else res.end(JSON.stringify({ id: 99, username: 'bot' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const makeClient = (caCertPem?: string) =>
  createSymphonyClient(
    {
      podUrl: baseUrl,
      botUsername: 'bot',
      privateKeyPem,
      ...(caCertPem ? { caCertPem } : {}),
      retry: { maxAttempts: 1 },
    },
    { logger: pino({ level: 'silent' }) },
  );

describe('HTTPS with a custom CA', () => {
  it('fails with ConnectionError when the CA is not trusted', async () => {
    const client = makeClient();
    const error = await client.getSessionInfo().catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).errorCode).toMatch(/CERT|SIGNATURE|ISSUER/);
  });

  it('succeeds when the CA is given as caCertPem', async () => {
    const client = makeClient(caPem);
    expect(await client.getSessionInfo()).toEqual({ id: 99, username: 'bot' });
    client.close();
  });
});
