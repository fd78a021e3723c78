import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect } from 'vitest';
import { simTest } from './support/sim-test.ts';

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

simTest.override({ simOptions: { longPollMs: 200 }, botOptions: { username: 'origin-bot' } });

/**
 * `simTest` plus `origins`, a forwarder for each of pod, agent (behind `/agent-lb`), key manager (behind `/km`)
 * and login.
 */
const originsTest = simTest.extend('origins', { scope: 'file' }, async ({ sim }, { onCleanup }) => {
  const origins: Record<string, Origin> = {};
  onCleanup(async () => {
    for (const o of Object.values(origins)) {
      o.server.closeAllConnections();
      await new Promise((resolve) => o.server.close(resolve));
    }
  });
  for (const [name, base] of [
    ['pod', ''],
    ['agent', '/agent-lb'],
    ['keyManager', '/km'],
    ['login', ''],
  ] as const) {
    origins[name] = await forwarder(name, base, sim.url);
  }
  return origins;
});
// The bot's client calls each origin.
originsTest.override('botClientOptions', ({ origins }) => ({
  podUrl: origins.pod!.url,
  agentUrl: origins.agent!.url,
  keyManagerUrl: `${origins.keyManager!.url}/`, // a trailing slash is tolerated
  loginUrl: origins.login!.url,
  retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
}));

describe('separate pod / agent / key manager / session auth origins', () => {
  originsTest(
    'sends every call to its own origin, base paths kept',
    async ({ alice, origins, botClient: { botId, client } }) => {
      expect((await client.getSessionInfo()).id).toBe(botId);
      const { id: imId } = await client.createIm([alice]);
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
    },
  );
});
