import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { testRsaKeyPair } from '@baton/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSymphonyClient } from '../src/symphony/index.ts';

// A "pod" and a minimal CONNECT proxy in front of it; the client must tunnel every call through the proxy.
let pod: Server;
let proxy: Server;
let podPort: number;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<Socket>();
const { privateKeyPem } = testRsaKeyPair('pkcs1');

beforeAll(async () => {
  pod = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (req.url?.endsWith('/pubkey/authenticate'))
      res.end(JSON.stringify({ token: 't', name: 'sessionToken' }));
    else res.end(JSON.stringify({ id: 1, username: 'bot' }));
  });
  await new Promise<void>((resolve) => pod.listen(0, '127.0.0.1', resolve));
  podPort = (pod.address() as AddressInfo).port;

  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const s of [clientSocket, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const srv of [pod, proxy]) {
    srv.closeAllConnections();
    await new Promise((resolve) => srv.close(resolve));
  }
});

describe('proxyUrl', () => {
  it('sends every call (auth included) through the HTTP proxy', async () => {
    const client = createSymphonyClient(
      {
        podUrl: `http://127.0.0.1:${podPort}`,
        botUsername: 'bot',
        privateKeyPem,
        proxyUrl,
        retry: { maxAttempts: 1 },
      },
      { logger: pino({ level: 'silent' }) },
    );
    expect(await client.getSessionInfo()).toEqual({ id: 1, username: 'bot' });
    client.close();
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(tunnels.every((t) => t === `127.0.0.1:${podPort}`)).toBe(true);
  });
});
