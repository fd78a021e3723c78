import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClosableSymphonyClient, createLogger, createSymphonyClient } from '@baton/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';

/**
 * Enterprise layout: pod, agent, key manager and session auth on four different origins (two of them behind a
 * base path, as a load balancer would publish them). Each origin is a recording forwarder in front of the one
 * simulator, so the test sees which origin every call reached.
 */
interface Origin {
  name: string;
  url: string;
  paths: string[];
  server: Server;
}

let sim: Simulator;
let client: ClosableSymphonyClient;
let botId: number;
let aliceId: number;
const origins: Record<string, Origin> = {};

async function forwarder(name: string, basePath: string, target: string): Promise<Origin> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(basePath)) {
      res.writeHead(502).end();
      return;
    }
    const path = url.slice(basePath.length) || '/';
    paths.push(`${req.method} ${path.split('?')[0]}`);
    const upstream = request(`${target}${path}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { name, url: `http://127.0.0.1:${port}${basePath}`, paths, server };
}

beforeAll(async () => {
  sim = await createSimulator({ longPollMs: 200 });
  const kp = sim.control.generateKeyPair();
  botId = sim.control.createUser({ username: 'origin-bot', publicKeyPem: kp.publicKeyPem, bot: true }).userId;
  aliceId = sim.control.createUser({ username: 'alice' }).userId;
  for (const [name, base] of [
    ['pod', ''],
    ['agent', '/agent-lb'],
    ['keyManager', '/km'],
    ['login', ''],
  ] as const) {
    origins[name] = await forwarder(name, base, sim.url);
  }
  client = createSymphonyClient(
    {
      podUrl: origins.pod!.url,
      agentUrl: origins.agent!.url,
      keyManagerUrl: `${origins.keyManager!.url}/`, // a trailing slash is tolerated
      loginUrl: origins.login!.url,
      botUsername: 'origin-bot',
      privateKeyPem: kp.privateKeyPem,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    },
    { logger: createLogger({ level: 'silent' }) },
  );
});

afterAll(async () => {
  client?.close();
  for (const o of Object.values(origins)) {
    o.server.closeAllConnections();
    await new Promise((resolve) => o.server.close(resolve));
  }
  await sim?.close();
});

describe('separate pod / agent / key manager / session auth origins', () => {
  it('sends every call to its own origin, base paths kept', async () => {
    expect((await client.getSessionInfo()).id).toBe(botId);
    const { id: imId } = await client.createIm([aliceId]);
    const feed = await client.createDatafeed();
    await client.sendMessage(imId, { message: '<messageML>hello</messageML>' });
    const read = await client.readDatafeed(feed.id, '');
    expect(read.events).toHaveLength(1);
    await client.deleteDatafeed(feed.id);

    expect(origins.login!.paths).toEqual(['POST /login/pubkey/authenticate']);
    expect(origins.keyManager!.paths).toEqual(['POST /relay/pubkey/authenticate']);
    expect(origins.pod!.paths).toEqual(['GET /pod/v2/sessioninfo', 'POST /pod/v1/im/create']);
    expect(origins.agent!.paths).toEqual([
      'POST /agent/v5/datafeeds',
      `POST /agent/v4/stream/${imId}/message/create`,
      `POST /agent/v5/datafeeds/${feed.id}/read`,
      `DELETE /agent/v5/datafeeds/${feed.id}`,
    ]);
  });
});
