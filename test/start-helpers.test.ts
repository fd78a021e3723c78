import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, loadSeedFile } from '@baton/pod-simulator';
import { ConfigError } from '@baton/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBotKeyPair } from '../scripts/start/bot-key-pair.ts';
import { composeOnlyVariables } from '../scripts/start/compose-only-values.ts';
import { formatLogLine } from '../scripts/start/format-log-line.ts';
import { loadDotenv, parseDotenv } from '../scripts/start/load-dotenv.ts';
import { readyBanner } from '../scripts/start/ready-banner.ts';
import { loadStartConfig } from '../scripts/start/start-config.ts';
import { writeSimSeed } from '../scripts/start/write-sim-seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-start-helpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.env', () => {
  it('parses comments, export, quotes and inline comments', () => {
    const parsed = parseDotenv(
      [
        '# comment',
        'A=1',
        'export B = two ',
        'C="x # not a comment\\nnext"',
        "D='single $quoted'",
        'E=value # a comment',
        'not a variable',
        'F=',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      A: '1',
      B: 'two',
      C: 'x # not a comment\nnext',
      D: 'single $quoted',
      E: 'value',
      F: '',
    });
  });

  it('lets the shell win, and drops docker compose values', () => {
    const path = join(dir, '.env');
    writeFileSync(
      path,
      'REDIS_URL=redis://redis:6379\nSYMPHONY_PRIVATE_KEY_FILE=/run/secrets/bot\nWORKERS=3\nLOG_LEVEL=debug\n',
    );
    const { env, used, ignored } = loadDotenv(path, { LOG_LEVEL: 'warn' });
    expect(env['LOG_LEVEL']).toBe('warn');
    expect(env['WORKERS']).toBe('3');
    expect(env['REDIS_URL']).toBeUndefined();
    expect(ignored.sort()).toEqual(['REDIS_URL', 'SYMPHONY_PRIVATE_KEY_FILE']);
    expect(used).toEqual(['WORKERS']);
    expect(loadDotenv(join(dir, 'missing.env'), { A: '1' })).toEqual({
      env: { A: '1' },
      used: [],
      ignored: [],
    });
  });

  it('keeps real hosts', () => {
    expect(
      composeOnlyVariables({ A: 'redis://10.0.0.5:6379', B: 'https://acme.symphony.com', C: 'redis' }),
    ).toEqual([]);
  });
});

describe('configuration', () => {
  it('defaults to the simulator, and requires a key file for a real pod', () => {
    const sim = loadStartConfig({}, '/repo');
    expect(sim.simulated).toBe(true);
    expect(sim.home).toBe('/repo/.baton');
    expect(sim.WORKERS).toBe(2);
    expect(() => loadStartConfig({ SYMPHONY_POD_URL: 'https://acme.symphony.com' }, '/repo')).toThrow(
      ConfigError,
    );
    const real = loadStartConfig(
      { SYMPHONY_POD_URL: 'https://acme.symphony.com', SYMPHONY_PRIVATE_KEY_FILE: 'k.pem', BATON_HOME: '/x' },
      '/repo',
    );
    expect(real.simulated).toBe(false);
    expect(real.home).toBe('/x');
    expect(() => loadStartConfig({ WORKERS: '0' }, '/repo')).toThrow(/WORKERS/);
  });
});

describe('bot key pair and demo seed', () => {
  it('generates an RSA 2048 pair once (private key 0600), then reuses it', () => {
    const keys = join(dir, 'keys');
    const first = ensureBotKeyPair(keys);
    expect(first.generated).toBe(true);
    const pem = readFileSync(first.privateKeyPath, 'utf8');
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(key).export({ type: 'spki', format: 'pem' })).toBe(
      readFileSync(first.publicKeyPath, 'utf8'),
    );
    expect(statSync(first.privateKeyPath).mode & 0o777).toBe(0o600);
    const second = ensureBotKeyPair(keys);
    expect(second.generated).toBe(false);
    expect(readFileSync(second.privateKeyPath, 'utf8')).toBe(pem);
  });

  it("writes a seed the simulator loads: users, rooms, IMs, and the bot's public key", async () => {
    const keys = ensureBotKeyPair(join(dir, 'keys'));
    const seedPath = join(dir, 'sim-seed.yaml');
    writeSimSeed(seedPath, { botUsername: 'baton-bot', publicKeyPath: keys.publicKeyPath });
    const { seed, seedDir } = loadSeedFile(seedPath);
    const sim = await createSimulator({ port: 0, seed, seedDir });
    try {
      const users = sim.control.listUsers();
      expect(users.map((u) => u.username).sort()).toEqual(['alice', 'baton-bot', 'bob', 'carol']);
      const bot = users.find((u) => u.username === 'baton-bot');
      expect(bot?.bot).toBe(true);
      expect(bot?.publicKeyPem?.trim()).toBe(readFileSync(keys.publicKeyPath, 'utf8').trim());
      const id = (name: string) => users.find((u) => u.username === name)?.userId;
      const streams = sim.control.listStreams();
      const desk = streams.find((s) => s.name === 'Trading Desk');
      expect(desk?.memberIds.sort()).toEqual([id('alice'), id('baton-bot'), id('bob')].sort());
      const ims = streams.filter((s) => s.type === 'IM').map((s) => [...s.memberIds].sort());
      expect(ims).toContainEqual([id('alice'), id('baton-bot')].sort());
    } finally {
      await sim.close();
    }
  });
});

describe('log lines', () => {
  it('pretty-prints pino records and passes anything else through', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 5, 9, 8, 7, 6),
      pid: 1,
      hostname: 'h',
      name: 'worker',
      msg: 'slow handler',
      streamId: 'abc',
      note: 'two words',
    });
    expect(formatLogLine(line)).toEqual({
      text: '09:08:07.006 WARN  slow handler streamId=abc note="two words"',
      level: 40,
    });
    const err = JSON.stringify({
      level: 50,
      time: 0,
      msg: 'boom',
      err: { type: 'Error', message: 'bad', stack: 'Error: bad\n    at x' },
    });
    expect(formatLogLine(err).text).toBe('00:00:00.000 ERROR boom err="Error: bad"\n    at x');
    expect(formatLogLine('{"level":"info","time":0,"msg":"sim"}')).toEqual({
      text: '00:00:00.000 INFO  sim',
      level: 30,
    });
    expect(formatLogLine('Ready to accept connections')).toEqual({ text: 'Ready to accept connections' });
    expect(formatLogLine('{"no":"level"}')).toEqual({ text: '{"no":"level"}' });
  });
});

describe('ready banner', () => {
  it('lists the URLs and the PIDs, hiding a Redis password', () => {
    const text = readyBanner({
      stackId: 'x',
      redisUrl: 'redis://:secret@10.0.0.1:6379',
      chatUrl: 'http://127.0.0.1:8080/',
      simUrl: 'http://127.0.0.1:8080',
      dashboardUrl: 'http://127.0.0.1:3100/',
      marketDataUrl: undefined,
      metrics: { ingester: 'http://127.0.0.1:9464/metrics' },
      pids: { ingester: 12, dashboard: 13 },
    });
    expect(text).toMatch(/^ {2}chat page +http:\/\/127\.0\.0\.1:8080\/$/m);
    expect(text).toMatch(/^ {2}ingester metrics +http:\/\/127\.0\.0\.1:9464\/metrics$/m);
    expect(text).toMatch(/^ {2}pids +ingester=12 dashboard=13$/m);
    expect(text).not.toContain('secret');
  });
});
