import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSimulator, loadSeedFile } from '@baton/pod-simulator';
import { ConfigError } from '@baton/shared';
import { makeTempDir, testRsaKeyPair, waitFor } from '@baton/testing';
import {
  chooseBotModule,
  composeOnlyVariables,
  createBotDirWatcher,
  DevSetupError,
  ensureBotKeyPair,
  formatLogLine,
  loadDotenv,
  loadStartConfig,
  parseDotenv,
  parseDotenvFile,
  readyBanner,
  reloadsOn,
  writeSimSeed,
} from '@baton/worker/internals';
import { afterAll, describe, expect, it } from 'vitest';

const { path: dir, remove } = makeTempDir('baton-start-helpers-');
afterAll(remove);

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
      problems: [],
    });
  });

  it('reads a multi-line quoted value whole (a PEM key pasted as is), as docker compose does', () => {
    const pem = testRsaKeyPair().privateKeyPem.trim();
    const { values, problems } = parseDotenvFile(
      [
        `SYMPHONY_PRIVATE_KEY="${pem}"`,
        `SINGLE='line one`,
        `  line two # not a comment'`,
        'ESCAPED="a\\tb\\"c\\\\d"',
        'AFTER=1',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(values['SYMPHONY_PRIVATE_KEY']).toBe(pem);
    expect(values['SYMPHONY_PRIVATE_KEY']?.split('\n').length).toBeGreaterThan(20);
    // The whole key: node can load it (the first line alone could not).
    expect(createPrivateKey(values['SYMPHONY_PRIVATE_KEY'] as string).asymmetricKeyType).toBe('rsa');
    expect(values['SINGLE']).toBe('line one\n  line two # not a comment');
    expect(values['ESCAPED']).toBe('a\tb"c\\d');
    expect(values['AFTER']).toBe('1');
  });

  it('warns about the lines it cannot parse, by line number, never showing a value', () => {
    const { values, problems } = parseDotenvFile(
      ['A=1', 'this is not an assignment', 'B="closed" trailing', 'SECRET="never closed', 'C=3'].join('\n'),
    );
    expect(values).toEqual({ A: '1', B: 'closed' });
    expect(problems).toEqual([
      'line 2: not KEY=value, skipped',
      'line 3: B: text after the closing quote, ignored',
      'line 4: SECRET: the double quote is never closed, skipped',
    ]);
    expect(problems.join('\n')).not.toContain('never closed"');
    const path = join(dir, 'broken.env');
    writeFileSync(path, 'X=1\n= no key\n');
    expect(loadDotenv(path, {}).problems).toEqual(['line 2: not KEY=value, skipped']);
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
    const info = {
      stackId: 'x',
      redisUrl: 'redis://:secret@10.0.0.1:6379',
      chatUrl: 'http://127.0.0.1:8080/',
      simUrl: 'http://127.0.0.1:8080',
      dashboardUrl: 'http://127.0.0.1:3100/',
      marketDataUrl: undefined,
      botUsername: 'my-bot',
      metrics: { ingester: 'http://127.0.0.1:9464/metrics' },
      pids: { ingester: 12, dashboard: 13 },
      ports: { ingester: 9464, dashboard: 3100 },
    };
    const text = readyBanner(info, { given: '@baton/reference-bot', watching: undefined });
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ {2}chat page +http:\/\/127\.0\.0\.1:8080\/$/);
    expect(text).toMatch(/^ {2}ingester metrics +http:\/\/127\.0\.0\.1:9464\/metrics$/m);
    expect(text).toMatch(/^ {2}dashboard +http:\/\/127\.0\.0\.1:3100\/$/m);
    expect(text).toMatch(/^ {2}pids +ingester=12 dashboard=13$/m);
    expect(text).toMatch(/^Bot @baton\/reference-bot: a package, not watched/m);
    expect(text).toContain('type: @my-bot /help');
    expect(text).not.toContain('secret');
    // Without @baton/dashboard: no dashboard rows; a bot file: the folder it watches.
    const bare = readyBanner(
      { ...info, dashboardUrl: undefined },
      { given: './src/bot.ts', watching: 'src/' },
    );
    expect(bare).not.toMatch(/^ {2}(dashboard|queues) /m);
    expect(bare).toMatch(/^Bot \.\/src\/bot\.ts: saving a file under src\/ reloads the workers\.$/m);
  });
});

describe('the bot to run', () => {
  it('takes --bot / BOT_MODULE, else ./src/bot.ts; resolves a relative path from where baton dev was run', () => {
    const projectDir = join(dir, 'project');
    const invokedFrom = join(projectDir, 'sub');
    mkdirSync(join(projectDir, 'src'), { recursive: true });
    mkdirSync(invokedFrom, { recursive: true });
    const dirs = { invokedFrom, projectDir };
    expect(() => chooseBotModule(undefined, dirs)).toThrow(DevSetupError);
    writeFileSync(join(projectDir, 'src', 'bot.ts'), '');
    expect(chooseBotModule(undefined, dirs)).toEqual({
      module: join(projectDir, 'src', 'bot.ts'),
      given: './src/bot.ts',
      file: join(projectDir, 'src', 'bot.ts'),
      typescript: true,
    });
    expect(chooseBotModule('@acme/bot', dirs)).toEqual({
      module: '@acme/bot',
      given: '@acme/bot',
      file: undefined,
      typescript: false,
    });
    // Relative to invokedFrom (pnpm's INIT_CWD) first, then to the project (a path in a package.json script).
    writeFileSync(join(invokedFrom, 'mine.js'), '');
    expect(chooseBotModule('./mine.js', dirs)).toMatchObject({
      module: join(invokedFrom, 'mine.js'),
      typescript: false,
    });
    expect(chooseBotModule('./src/bot.ts', dirs).module).toBe(join(projectDir, 'src', 'bot.ts'));
    let missing: unknown;
    try {
      chooseBotModule('./nope.mts', dirs);
    } catch (err) {
      missing = err;
    }
    expect(missing).toBeInstanceOf(DevSetupError);
    expect((missing as DevSetupError).code).toBe('DEV_NO_BOT');
    expect((missing as DevSetupError).message).toBe(
      `BOT_MODULE: no file at ${join(invokedFrom, 'nope.mts')} (the bot ./nope.mts)`,
    );
  });
});

describe('the bot folder watcher', () => {
  it('ignores node_modules, dist, .baton, .git and editor temp files', () => {
    expect(reloadsOn('bot.ts')).toBe(true);
    expect(reloadsOn('commands/quote.ts')).toBe(true);
    expect(reloadsOn('config.json')).toBe(true);
    for (const rel of [
      'node_modules/x/index.js',
      'dist/bot.js',
      '.baton/redis/appendonly.aof',
      '.git/index',
    ]) {
      expect({ rel, reloads: reloadsOn(rel) }).toEqual({ rel, reloads: false });
    }
    for (const rel of ['bot.ts~', '.bot.ts.swp', 'sub/.#bot.ts', '4913', '']) {
      expect({ rel, reloads: reloadsOn(rel) }).toEqual({ rel, reloads: false });
    }
  });

  it('reports one change per burst (debounced), with the file that changed last', async () => {
    const watched = join(dir, 'watched');
    mkdirSync(join(watched, 'nested'), { recursive: true });
    mkdirSync(join(watched, 'node_modules'), { recursive: true });
    mkdirSync(join(watched, 'home'), { recursive: true });
    const changes: string[] = [];
    const watcher = createBotDirWatcher(
      { dir: watched, debounceMs: 150, ignoreDirs: [join(watched, 'home')] },
      { onChange: (file) => changes.push(file), onError: (err) => changes.push(`error: ${err.message}`) },
    );
    try {
      await sleep(100);
      writeFileSync(join(watched, 'node_modules', 'x.js'), '1');
      writeFileSync(join(watched, 'home', 'appendonly.aof'), '1');
      await sleep(400);
      expect(changes).toEqual([]);
      writeFileSync(join(watched, 'bot.ts'), '1');
      writeFileSync(join(watched, 'bot.ts'), '2');
      writeFileSync(join(watched, 'nested', 'command.ts'), '3');
      await waitFor('a change', () => changes.length > 0, 5_000);
      await sleep(400);
      expect(changes).toEqual([join(watched, 'nested', 'command.ts')]);
    } finally {
      watcher.close();
    }
  });
});
