import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testRsaKeyPair } from '@baton/testing';
import { parseBatonArgs, UsageError } from '@baton/worker/internals';
import { afterAll, describe, expect, it } from 'vitest';
import { BATON_CLI, REPO_ROOT } from './support/baton-dev-child.ts';

// The `baton` CLI's command line and the errors it stops on before starting anything (exit 2, one clear message).

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An empty folder with a package.json: a bot project without its dependencies. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', private: true, type: 'module' }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A fake installed package (its package.json, and `dist/main.js` when `built`) in `dir`'s node_modules. */
function fakePackage(dir: string, name: string, built: boolean): void {
  const at = join(dir, 'node_modules', name);
  mkdirSync(join(at, 'dist'), { recursive: true });
  writeFileSync(
    join(at, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: { './package.json': './package.json' } }),
  );
  if (built) writeFileSync(join(at, 'dist', 'main.js'), '');
}

function baton(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const env: Record<string, string | undefined> = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NO_COLOR: '1',
    ...opts.env,
  };
  const r = spawnSync(process.execPath, [...BATON_CLI, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('baton command line', () => {
  it('parses the subcommands and their flags', () => {
    expect(parseBatonArgs(['dev'])).toEqual({ command: 'dev', sources: false });
    expect(parseBatonArgs(['dev', '--bot', './x.ts', '--workers', '3', '--sources'])).toEqual({
      command: 'dev',
      bot: './x.ts',
      workers: 3,
      sources: true,
    });
    expect(parseBatonArgs(['dev', '--bot=@acme/bot'])).toMatchObject({ bot: '@acme/bot' });
    expect(parseBatonArgs(['worker', '--bot', './dist/bot.js'])).toEqual({
      command: 'worker',
      bot: './dist/bot.js',
    });
    expect(parseBatonArgs(['dlq', 'replay', '--all'])).toEqual({ command: 'dlq', args: ['replay', '--all'] });
    expect(parseBatonArgs(['--help'])).toEqual({ command: 'help', topic: 'baton' });
    expect(parseBatonArgs(['dev', '-h'])).toEqual({ command: 'help', topic: 'dev' });
    expect(parseBatonArgs(['worker', '--help'])).toEqual({ command: 'help', topic: 'worker' });
    expect(parseBatonArgs(['dlq', '--help'])).toEqual({ command: 'help', topic: 'dlq' });
  });

  it.each([
    [[], /^baton: missing the command: dev, worker or dlq/],
    [['deploy'], /^baton: unknown command deploy: expected dev, worker, dlq/],
    [['--verbose'], /^baton: unknown option --verbose/],
    [['dev', '--watch'], /^baton dev: unknown option --watch \(baton dev --help\)$/],
    [['dev', 'now'], /^baton dev: unexpected argument now/],
    [['dev', '--workers', '0'], /^baton dev: --workers expects a number from 1 to 16, got "0"/],
    [['dev', '--workers', 'two'], /^baton dev: --workers expects a number from 1 to 16, got "two"/],
    [['dev', '--bot'], /^baton dev: option '--bot <value>' argument missing/],
    [['worker', '--workers', '2'], /^baton worker: unknown option --workers/],
  ])('rejects %j with one line', (argv, message) => {
    let caught: unknown;
    try {
      parseBatonArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).code).toBe('USAGE');
    expect((caught as UsageError).message).toMatch(message);
    expect((caught as UsageError).message).not.toContain('\n');
  });

  it('exits 2 with one line on stderr for an unknown flag or subcommand; --help exits 0', () => {
    for (const argv of [['dev', '--nope'], ['frobnicate'], ['worker', 'extra']]) {
      const r = baton(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^baton( dev| worker)?: /);
      expect(r.stdout).toBe('');
    }
    const help = baton(['dev', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'usage: baton dev [--bot <module>] [--default-bot <module>] [--workers N] [--sources]',
    );
    expect(baton(['--help']).stdout).toMatch(/commands:\n {2}dev .*\n[\s\S]* {2}worker [\s\S]* {2}dlq /);
    expect(baton(['dlq', '--help']).stdout).toContain('usage: baton dlq <command>');
  }, 30_000);
});

describe('baton worker', () => {
  it('exits 2 naming BOT_MODULE when no bot is given', () => {
    const r = baton(['worker'], { env: { BOT_MODULE: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid configuration for worker/);
    expect(r.stderr).toMatch(/BOT_MODULE/);
  }, 30_000);

  it('--bot sets BOT_MODULE: a missing file is named', () => {
    const r = baton(['worker', '--bot', './no-such-bot.js'], {
      env: {
        SYMPHONY_POD_URL: 'http://127.0.0.1:9',
        SYMPHONY_BOT_USERNAME: 'b',
        SYMPHONY_PRIVATE_KEY: testRsaKeyPair().privateKeyPem,
        OPS_PORT: '-1',
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BOT_MODULE: no file at .*no-such-bot\.js/);
  }, 30_000);
});

describe('baton dev, before it starts anything', () => {
  /** `baton dev <args>` in the project `dir` (its own BATON_HOME), `env` on top. */
  const dev = (dir: string, args: string[] = [], env: Record<string, string> = {}) =>
    baton(['dev', ...args], {
      cwd: dir,
      env: { BATON_HOME: join(dir, '.baton'), INIT_CWD: undefined, ...env },
    });
  /** The same, which must stop before starting anything (exit 2): what it printed. */
  const refusal = (dir: string, args: string[] = [], env: Record<string, string> = {}) => {
    const r = dev(dir, args, env);
    expect(r.code).toBe(2);
    return r.stdout;
  };

  it('exits 2 when there is no bot: no --bot, no BOT_MODULE, no ./src/bot.ts', () => {
    const dir = project();
    expect(refusal(dir)).toMatch(
      /no bot to run: pass --bot <module>.*set BOT_MODULE.*or create \.\/src\/bot\.ts/,
    );
    expect(existsSync(join(dir, '.baton'))).toBe(false);
  }, 30_000);

  it('--default-bot is used only when neither --bot nor BOT_MODULE names a bot (BOT_MODULE=… pnpm start)', () => {
    const dir = project();
    expect(refusal(dir, ['--default-bot', './fallback.ts'])).toContain(
      `BOT_MODULE: no file at ${join(dir, 'fallback.ts')}`,
    );
    expect(refusal(dir, ['--default-bot', './fallback.ts'], { BOT_MODULE: './from-env.ts' })).toContain(
      `BOT_MODULE: no file at ${join(dir, 'from-env.ts')}`,
    );
    const fromFlag = dev(dir, ['--bot', './from-flag.ts', '--default-bot', './fallback.ts'], {
      BOT_MODULE: './from-env.ts',
    });
    expect(fromFlag.stdout).toContain(`BOT_MODULE: no file at ${join(dir, 'from-flag.ts')}`);
    expect(parseBatonArgs(['dev', '--default-bot', '@baton/reference-bot'])).toMatchObject({
      defaultBot: '@baton/reference-bot',
    });
  }, 30_000);

  it('exits 2 naming a bot file that does not exist', () => {
    const dir = project();
    expect(refusal(dir, ['--bot', './bots/missing.ts'])).toContain(
      `BOT_MODULE: no file at ${join(dir, 'bots/missing.ts')}`,
    );
  }, 30_000);

  it('exits 2 saying which package to add when the simulator or the ingester is missing', () => {
    const dir = project({ 'src/bot.ts': 'export default {};\n' });
    expect(refusal(dir)).toContain(
      'baton dev needs @baton/pod-simulator, which this project does not have: add it as a devDependency (pnpm add -D @baton/pod-simulator)',
    );
    fakePackage(dir, '@baton/pod-simulator', true);
    expect(refusal(dir)).toContain('(pnpm add -D @baton/ingester)');
  }, 30_000);

  it('exits 2 asking for pnpm build when a package has no dist/main.js, and for tsx with a .ts bot', () => {
    const dir = project({ 'src/bot.ts': 'export default {};\n', 'bot.js': 'export default {};\n' });
    fakePackage(dir, '@baton/pod-simulator', true);
    fakePackage(dir, '@baton/ingester', false);
    fakePackage(dir, '@baton/worker', true);
    expect(refusal(dir)).toContain(
      '@baton/ingester is not built (no node_modules/@baton/ingester/dist/main.js): run pnpm build',
    );
    fakePackage(dir, '@baton/ingester', true);
    expect(refusal(dir)).toContain(
      'the TypeScript bot ./src/bot.ts needs tsx, which this project does not have: add it (pnpm add -D tsx)',
    );
    // --bot overrides BOT_MODULE (here: a JavaScript bot, no tsx needed; then Redis is the next question).
    const js = dev(dir, ['--bot', './bot.js'], { BOT_MODULE: './src/bot.ts', PATH: '/nonexistent' });
    expect(js.stdout).not.toContain('tsx');
    expect(js.stdout).toContain('starting Baton for the bot ./bot.js');
    expect(js.stdout).toContain('running the Baton packages from dist (compiled JavaScript)');
    expect(js.stdout).toContain('baton dev needs Redis');
    expect(js.code).toBe(2);
  }, 30_000);
});

describe('the bin', () => {
  it('is a committed shim importing the compiled CLI, linked as `baton`', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'services/worker/package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(pkg.bin).toEqual({ baton: './bin/baton.js' });
    expect(pkg.files).toContain('bin');
    const shim = readFileSync(join(REPO_ROOT, 'services/worker/bin/baton.js'), 'utf8');
    expect(shim.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(shim).toContain("import '../dist/cli/baton.js';");
  });

  it.skipIf(!existsSync(join(REPO_ROOT, 'services/worker/dist/cli/baton.js')))(
    'runs the compiled CLI (after pnpm build)',
    () => {
      const r = spawnSync(process.execPath, ['services/worker/bin/baton.js', 'dev', '--help'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('usage: baton dev');
    },
  );
});
