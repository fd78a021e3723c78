import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig as loadDashboardConfig } from '@baton/dashboard';
import { loadConfig as loadIngesterConfig } from '@baton/ingester';
import { createSimulator, loadSeedFile, loadConfig as loadSimConfig } from '@baton/pod-simulator';
import { loadFakeMarketDataConfig, loadReferenceBotEnv } from '@baton/reference-bot';
import { testRsaKeyPair } from '@baton/testing';
import { loadConfig as loadWorkerConfig } from '@baton/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, interpolate, type Json, ROOT as root } from './support/compose-files.ts';

// A dry run of `docker compose up` without Docker: each Baton service's own config loader is given the
// environment docker-compose.yml gives its container (defaults interpolated, `/run/secrets/*` files
// replaced by temporary files), and the simulator is started from docker/sim-seed.yaml, where the bot
// must be able to log in with the key pair docker/gen-bot-key.sh would write.

const services = composeServices();

let dir = '';
const keys = testRsaKeyPair();
const dashboardToken = randomBytes(24).toString('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-compose-'));
  writeFileSync(join(dir, 'bot_private_key'), keys.privateKeyPem);
  writeFileSync(join(dir, 'bot_public_key'), keys.publicKeyPem);
  writeFileSync(join(dir, 'dashboard_token'), `${dashboardToken}\n`);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The container environment of one compose service, secrets pointing at the temporary files. */
function containerEnv(name: string): Record<string, string> {
  const service = services[name];
  if (!service) throw new Error(`no service ${name}`);
  const mounted = new Set(((service['secrets'] as Json[] | undefined) ?? []).map((s) => String(s['target'])));
  const env: Record<string, string> = {};
  for (const [key, raw] of Object.entries((service['environment'] as Json | undefined) ?? {})) {
    let value = interpolate(raw);
    const secret = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
    if (secret !== undefined) {
      // The variable must name a secret that compose actually mounts into this container.
      expect(mounted, `${name}.${key}`).toContain(secret);
      value = join(dir, secret);
    }
    env[key] = value;
  }
  return env;
}

describe("each service's own config accepts the environment compose gives it", () => {
  it('ingester', () => {
    const config = loadIngesterConfig(containerEnv('ingester'));
    expect(config.SYMPHONY_PRIVATE_KEY).toContain('BEGIN PRIVATE KEY');
    expect(config.SYMPHONY_POD_URL).toBe('http://pod-simulator:8080');
    expect(config.SYMPHONY_BOT_USERNAME).toBe('baton-bot');
    expect(config.OPS_PORT).toBe(9464);
  });

  it('worker', () => {
    const config = loadWorkerConfig(containerEnv('worker'));
    expect(config.SYMPHONY_PRIVATE_KEY).toContain('BEGIN PRIVATE KEY');
    expect(config.OPS_PORT).toBe(9464);
  });

  it('dashboard: reachable beyond loopback, so it gets its token from the secret', () => {
    const config = loadDashboardConfig(containerEnv('dashboard'));
    expect(config.DASHBOARD_HOST).toBe('0.0.0.0');
    expect(config.DASHBOARD_PORT).toBe(3100);
    expect(config.DASHBOARD_TOKEN).toBe(dashboardToken);
  });

  it("market data: listens where the worker's MARKET_DATA_URL and the probe look for it", () => {
    const config = loadFakeMarketDataConfig(containerEnv('market-data'));
    expect(config.MARKET_DATA_HOST).toBe('0.0.0.0');
    const worker = loadReferenceBotEnv(containerEnv('worker'));
    expect(worker.MARKET_DATA_URL).toBe(`http://market-data:${config.MARKET_DATA_PORT}`);
    const probe = new URL(containerEnv('market-data')['HEALTHCHECK_URL'] ?? '');
    expect(Number(probe.port)).toBe(config.MARKET_DATA_PORT);
    expect(probe.pathname).toMatch(/^\/quote\/[A-Z]+$/);
  });

  it("pod simulator: binds all the container's interfaces on the port compose publishes, on the host's loopback only", () => {
    const config = loadSimConfig(containerEnv('pod-simulator'));
    expect(config.SIM_HOST).toBe('0.0.0.0');
    expect(config.SIM_PORT).toBe(8080);
    const ports = services['pod-simulator']?.['ports'] as string[] | undefined;
    const published = ports?.[0];
    // Its control API is unauthenticated: published on 127.0.0.1, never on every host interface.
    expect(interpolate(published)).toBe(`127.0.0.1:8080:${config.SIM_PORT}`);
  });

  it('the loaders do reject a broken environment (so the checks above can fail)', () => {
    const env = containerEnv('ingester');
    delete env['SYMPHONY_PRIVATE_KEY_FILE'];
    expect(() => loadIngesterConfig(env)).toThrow(/SYMPHONY_PRIVATE_KEY/);
    expect(() =>
      loadDashboardConfig({ ...containerEnv('dashboard'), DASHBOARD_TOKEN_FILE: join(dir, 'missing') }),
    ).toThrow(/DASHBOARD_TOKEN_FILE/);
  });
});

/** An RS512 JWT as the Symphony BDKs make it (node:crypto only). */
function botJwt(username: string, privateKeyPem: string): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'RS512', typ: 'JWT' })}.${encode({ sub: username, exp: now + 240 })}`;
  const signature = sign('sha512', Buffer.from(unsigned), createPrivateKey(privateKeyPem)).toString(
    'base64url',
  );
  return `${unsigned}.${signature}`;
}

describe('docker/sim-seed.yaml in the simulator', () => {
  it('seeds users, rooms and IMs, and the bot logs in with the mounted key pair', async () => {
    // The seed names the compose secret path; point it at the temporary public key instead.
    const seedText = readFileSync(join(root, 'docker/sim-seed.yaml'), 'utf8');
    expect(seedText).toContain('/run/secrets/bot_public_key');
    const seedPath = join(dir, 'sim-seed.yaml');
    writeFileSync(seedPath, seedText.replaceAll('/run/secrets/bot_public_key', join(dir, 'bot_public_key')));
    const { seed, seedDir } = loadSeedFile(seedPath);
    const sim = await createSimulator({ port: 0, seed, seedDir });
    try {
      const users = sim.control.listUsers();
      const bot = users.find((u) => u.bot);
      expect(bot?.username).toBe(loadIngesterConfig(containerEnv('ingester')).SYMPHONY_BOT_USERNAME);
      expect(users.length).toBeGreaterThanOrEqual(3);
      const streams = sim.control.listStreams(bot?.userId);
      expect(streams.filter((s) => s.type === 'ROOM').length).toBeGreaterThanOrEqual(1);
      expect(streams.filter((s) => s.type === 'IM').length).toBeGreaterThanOrEqual(1);

      const login = await fetch(`${sim.url}/login/pubkey/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: botJwt('baton-bot', keys.privateKeyPem) }),
      });
      expect(login.status).toBe(200);
      // A key the seed does not know is refused: the check above is about the mounted key.
      const other = testRsaKeyPair();
      const refused = await fetch(`${sim.url}/login/pubkey/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: botJwt('baton-bot', other.privateKeyPem) }),
      });
      expect(refused.status).toBe(401);
      // The chat page is served for the demo.
      expect((await fetch(`${sim.url}/`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
