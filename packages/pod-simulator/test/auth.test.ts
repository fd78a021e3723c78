import { request } from 'node:http';
import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { call, login, signJwt } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

simTest.override({
  simOptions: { longPollMs: 200 },
  botOptions: { username: 'auth-bot', displayName: 'Auth Bot' },
});

const authenticate = (sim: Simulator, path: string, token: unknown) => call(sim, 'POST', path, {}, { token });

describe('RSA authentication', () => {
  simTest('issues a session token and a key manager token for the same JWT', async ({ sim, bot }) => {
    const jwt = await signJwt(bot.privateKeyPem, 'auth-bot');
    const s = await authenticate(sim, '/login/pubkey/authenticate', jwt);
    const k = await authenticate(sim, '/relay/pubkey/authenticate', jwt);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toMatch(/^application\/json/);
    expect(s.body).toMatchObject({ name: 'sessionToken', token: expect.any(String) });
    expect(k.status).toBe(200);
    expect(k.body).toMatchObject({ name: 'keyManagerToken', token: expect.any(String) });
    // Like a pod's: the session token is a JWT whose payload says simplified key delivery is off.
    const [, payload] = (s.body as { token: string }).token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      sub: 'auth-bot',
      canUseSimplifiedKeyDelivery: false,
    });
  });

  simTest('rejects a JWT signed with another key', async ({ sim, bot }) => {
    const other = sim.control.generateKeyPair();
    const r = await authenticate(
      sim,
      '/login/pubkey/authenticate',
      await signJwt(other.privateKeyPem, bot.username),
    );
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 401, message: expect.stringMatching(/signature/) });
  });

  simTest('rejects an expired JWT and one expiring more than five minutes ahead', async ({ sim, bot }) => {
    const expired = await authenticate(
      sim,
      '/login/pubkey/authenticate',
      await signJwt(bot.privateKeyPem, 'auth-bot', -60),
    );
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 401, message: expect.stringMatching(/expired/) });
    const tooLong = await authenticate(
      sim,
      '/relay/pubkey/authenticate',
      await signJwt(bot.privateKeyPem, 'auth-bot', 600),
    );
    expect(tooLong.status).toBe(401);
    expect(tooLong.body).toMatchObject({ code: 401 });
  });

  simTest(
    'rejects an unknown subject, a malformed token, a non-RS512 token and a missing body',
    async ({ sim, bot }) => {
      const unknown = await authenticate(
        sim,
        '/login/pubkey/authenticate',
        await signJwt(bot.privateKeyPem, 'nobody'),
      );
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ code: 401, message: expect.stringMatching(/invalid user/) });
      const malformed = await authenticate(sim, '/login/pubkey/authenticate', 'not.a.jwt');
      expect(malformed.status).toBe(401);
      expect(malformed.body).toMatchObject({ code: 401 });
      const rs256 = await authenticate(
        sim,
        '/login/pubkey/authenticate',
        await signJwt(bot.privateKeyPem, 'auth-bot', 60, 'RS256'),
      );
      expect(rs256.status).toBe(401);
      const res = await fetch(`${sim.url}/login/pubkey/authenticate`, { method: 'POST' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 401 });
    },
  );

  simTest('accepts a chunked request body', async ({ sim, bot }) => {
    const jwt = await signJwt(bot.privateKeyPem, 'auth-bot');
    const url = new URL(`${sim.url}/login/pubkey/authenticate`);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let data = '';
          res.on('data', (c) => {
            data += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on('error', reject);
      const payload = JSON.stringify({ token: jwt });
      req.write(payload.slice(0, 10));
      req.write(payload.slice(10));
      req.end();
    });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ name: 'sessionToken' });
  });
});

describe('session checks', () => {
  simTest('sessioninfo answers the UserV2 with an int64 `id`', async ({ sim, bot }) => {
    const r = await call(sim, 'GET', '/pod/v2/sessioninfo', bot.session.headers);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: bot.userId, username: 'auth-bot', displayName: 'Auth Bot' });
    expect(typeof (r.body as { id: unknown }).id).toBe('number');
  });

  simTest('answers 401 Invalid session without or with a wrong sessionToken', async ({ sim, bot }) => {
    const variants: Record<string, string>[] = [
      {},
      { sessionToken: 'nope' },
      { keyManagerToken: bot.session.keyManagerToken },
    ];
    for (const headers of variants) {
      const r = await call(sim, 'GET', '/pod/v2/sessioninfo', headers);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ code: 401, message: 'Invalid session' });
    }
    const agent = await call(sim, 'POST', '/agent/v5/datafeeds', {
      sessionToken: bot.session.sessionToken,
      keyManagerToken: 'bad',
    });
    expect(agent.status).toBe(401);
    const swapped = await call(sim, 'GET', '/pod/v2/sessioninfo', {
      sessionToken: bot.session.keyManagerToken,
    });
    expect(swapped.status).toBe(401);
  });

  simTest('invalidation makes the next call 401, and re-authentication works', async ({ sim, bot }) => {
    const s = await login(sim, 'auth-bot', bot.privateKeyPem);
    expect((await call(sim, 'GET', '/pod/v2/sessioninfo', s.headers)).status).toBe(200);
    sim.control.invalidateSessions();
    expect((await call(sim, 'GET', '/pod/v2/sessioninfo', s.headers)).status).toBe(401);
    expect((await call(sim, 'POST', '/agent/v5/datafeeds', s.headers)).status).toBe(401);
    const again = await login(sim, 'auth-bot', bot.privateKeyPem);
    expect((await call(sim, 'GET', '/pod/v2/sessioninfo', again.headers)).status).toBe(200);

    const r = await call(sim, 'POST', '/_sim/sessions/invalidate', {}, { userId: bot.userId });
    expect(r.status).toBe(204);
    expect((await call(sim, 'GET', '/pod/v2/sessioninfo', again.headers)).status).toBe(401);
    bot.session = await login(sim, 'auth-bot', bot.privateKeyPem);
  });

  simTest('accepts bodiless POSTs with and without a JSON content type', async ({ sim, bot }) => {
    const a = await fetch(`${sim.url}/agent/v5/datafeeds`, { method: 'POST', headers: bot.session.headers });
    expect(a.status).toBe(201);
    const b = await fetch(`${sim.url}/agent/v4/datafeed/create`, {
      method: 'POST',
      headers: { ...bot.session.headers, 'content-type': 'application/json' },
    });
    expect(b.status).toBe(200);
    expect(b.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
