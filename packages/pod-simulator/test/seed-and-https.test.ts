import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createSimulator, generateRsaKeyPair, loadSeedFile, type Simulator } from '../src/index.ts';
import { login } from './support/sim-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'sim-seed-'));
const opened: Simulator[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seed files', () => {
  it('loads users (with key files), rooms and IMs from YAML', async () => {
    const kp = generateRsaKeyPair();
    writeFileSync(join(dir, 'bot.pem'), kp.publicKeyPem);
    writeFileSync(
      join(dir, 'seed.yaml'),
      [
        'users:',
        '  - { username: seed-bot, displayName: Seed Bot, bot: true, publicKeyPath: bot.pem }',
        '  - { username: alice, displayName: Alice }',
        '  - { username: bob }',
        'rooms:',
        '  - { name: Desk, members: [alice, bob, seed-bot] }',
        'ims:',
        '  - { members: [alice, seed-bot] }',
      ].join('\n'),
    );
    const { seed, seedDir } = loadSeedFile(join(dir, 'seed.yaml'));
    const sim = await createSimulator({ seed, seedDir, longPollMs: 100 });
    opened.push(sim);
    const users = sim.control.listUsers();
    expect(users.map((u) => [u.username, u.bot])).toEqual([
      ['seed-bot', true],
      ['alice', false],
      ['bob', false],
    ]);
    const bot = users[0]!;
    const streams = sim.control.listStreams(bot.userId);
    expect(streams.map((s) => [s.type, s.name ?? null, s.memberIds.length])).toEqual([
      ['ROOM', 'Desk', 3],
      ['IM', null, 2],
    ]);
    const session = await login(sim, 'seed-bot', kp.privateKeyPem);
    const info = await fetch(`${sim.url}/pod/v2/sessioninfo`, { headers: session.headers });
    expect(((await info.json()) as { id: number }).id).toBe(bot.userId);
  });

  it('loads JSON too and rejects unknown members', () => {
    writeFileSync(
      join(dir, 'seed.json'),
      JSON.stringify({ users: [{ username: 'x' }], rooms: [{ name: 'R', members: ['x', 'ghost'] }] }),
    );
    const { seed } = loadSeedFile(join(dir, 'seed.json'));
    expect(seed.users).toHaveLength(1);
    return expect(createSimulator({ seed })).rejects.toThrow(/ghost/);
  });

  it('pnpm sim config: documented defaults, coerced and frozen', () => {
    const c = loadConfig({});
    expect(c.SIM_PORT).toBe(8443);
    expect(c.SIM_HOST).toBe('127.0.0.1');
    expect(Object.isFrozen(c)).toBe(true);
    expect(loadConfig({ SIM_PORT: '9000', SIM_LONG_POLL_MS: '500' })).toMatchObject({
      SIM_PORT: 9000,
      SIM_LONG_POLL_MS: 500,
    });
    expect(() => loadConfig({ SIM_PORT: 'abc' })).toThrow();
  });
});

describe('HTTPS', () => {
  it('serves HTTPS with a self-signed certificate trusted through caCertPem', async () => {
    const sim = await createSimulator({ https: 'self-signed', longPollMs: 100 });
    opened.push(sim);
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.caCertPem).toContain('BEGIN CERTIFICATE');
    const get = (ca?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${sim.url}/_sim/stats`, { ...(ca ? { ca } : {}) }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get(sim.caCertPem)).toBe(200);
    await expect(get()).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});
