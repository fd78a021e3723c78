import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDashboard,
  InsecureBindError,
  isLoopbackHost,
  loadConfig,
  SESSION_COOKIE,
} from '../src/index.ts';
import { silentLogger, startDashboard, type TestDashboard } from './support/start-dashboard.ts';

const prefix = uniquePrefix('dashauth');
const TOKEN = 's3cret-token-value';
const ROUTES = ['/', '/api/status', '/queues', '/queues/api/queues'];

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.1.2.3', false],
    ['dashboard.example.com', false],
    ['128.0.0.1', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('binding', () => {
  redisTest(
    'refuses to start on a non-loopback host without credentials, before listening',
    async ({ redis }) => {
      const config = loadConfig({ DASHBOARD_HOST: '0.0.0.0', DASHBOARD_PORT: '0', BATON_PREFIX: prefix });
      const dashboard = createDashboard(config, { logger: silentLogger, redis });
      await expect(dashboard.start()).rejects.toBeInstanceOf(InsecureBindError);
      await dashboard.stop();
    },
  );

  redisTest('starts on a non-loopback host when a token is set, and then requires it', async ({ redis }) => {
    const d = await startDashboard(redis, {
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_TOKEN: TOKEN,
      BATON_PREFIX: prefix,
    });
    try {
      const port = new URL(d.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(401);
      const ok = await fetch(`http://127.0.0.1:${port}/api/status`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await d.stop();
    }
  });
});

describe('open (loopback, no credentials)', () => {
  redisTest('serves every route without authentication', async ({ redis }) => {
    const d = await startDashboard(redis, { BATON_PREFIX: prefix });
    try {
      for (const path of ROUTES) expect((await fetch(d.url + path)).status, path).toBe(200);
    } finally {
      await d.stop();
    }
  });
});

describe('token', () => {
  let d: TestDashboard;
  redisTest.beforeAll(async ({ redis }) => {
    d = await startDashboard(redis, { BATON_PREFIX: prefix, DASHBOARD_TOKEN: TOKEN });
  });
  afterAll(async () => d?.stop());

  it('rejects every route but /healthz without the token', async () => {
    for (const path of ROUTES) {
      const res = await fetch(d.url + path, { redirect: 'manual' });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });

  it('rejects a wrong bearer token and accepts the right one on every route', async () => {
    for (const path of ROUTES) {
      const bad = await fetch(d.url + path, { headers: { authorization: 'Bearer nope' } });
      expect(bad.status, path).toBe(401);
      const good = await fetch(d.url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(good.status, path).toBe(200);
    }
  });

  it('accepts ?token= once: sets an HttpOnly session cookie (not the token) and redirects without the token', async () => {
    const res = await fetch(`${d.url}/queues?token=${TOKEN}&x=1`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/queues?x=1');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Strict`));
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';', 1)[0] ?? '';
    for (const path of ROUTES)
      expect((await fetch(d.url + path, { headers: { cookie } })).status, path).toBe(200);
    const forged = `${SESSION_COOKIE}=${Buffer.from(TOKEN).toString('base64url')}`;
    expect((await fetch(`${d.url}/api/status`, { headers: { cookie: forged } })).status).toBe(401);
    expect((await fetch(`${d.url}/api/status?token=wrong`)).status).toBe(401);
  });
});

describe('basic auth', () => {
  let d: TestDashboard;
  redisTest.beforeAll(async ({ redis }) => {
    d = await startDashboard(redis, { BATON_PREFIX: prefix, DASHBOARD_BASIC_AUTH: 'ops:pa:ss word' });
  });
  afterAll(async () => d?.stop());

  it('challenges the browser and requires the credentials on every route but /healthz', async () => {
    for (const path of ROUTES) {
      const none = await fetch(d.url + path);
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="Baton dashboard"/);
      expect((await fetch(d.url + path, { headers: { authorization: basic('ops', 'wrong') } })).status).toBe(
        401,
      );
      expect(
        (await fetch(d.url + path, { headers: { authorization: basic('root', 'pa:ss word') } })).status,
      ).toBe(401);
      expect(
        (await fetch(d.url + path, { headers: { authorization: basic('ops', 'pa:ss word') } })).status,
      ).toBe(200);
    }
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });
});
