import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scaffold } from '../src/scaffold.ts';
import { ScaffoldError } from '../src/scaffold-error.ts';

const EXPECTED_FILES = [
  '.dockerignore',
  '.env.example',
  '.gitignore',
  'Dockerfile',
  'README.md',
  'docker-compose.yml',
  'package.json',
  'sim-seed.yaml',
  'src/bot.ts',
  'src/config.ts',
  'test/bot.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
  'vitest.config.ts',
];

const ownVersion = async () =>
  (JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'create-baton-bot-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof ScaffoldError ? error.code : error),
  );

describe('scaffold', () => {
  it('writes every file, dotfiles renamed, the name substituted, no placeholder left', async () => {
    const dir = join(tmp, 'my-bot');
    const result = await scaffold({ dir });
    expect(result).toEqual({ dir, files: EXPECTED_FILES });
    for (const file of EXPECTED_FILES) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(text, file).not.toContain('{{');
      expect(text, file).not.toContain('}}');
    }
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-bot\n/);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/node_modules/);
    expect(await readFile(join(dir, '.env.example'), 'utf8')).toContain('SYMPHONY_BOT_USERNAME=my-bot');
    expect(await readFile(join(dir, 'docker-compose.yml'), 'utf8')).toContain('name: "my-bot"');
  });

  it('writes a package.json with the scripts and dependencies of a bot project', async () => {
    const dir = join(tmp, 'my-bot');
    await scaffold({ dir });
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const range = `^${await ownVersion()}`;
    expect(pkg).toMatchObject({ name: 'my-bot', version: '0.1.0', private: true, type: 'module' });
    expect(pkg.engines).toEqual({ node: '>=20.19.0' });
    expect(pkg.scripts).toEqual({
      dev: 'baton dev',
      test: 'vitest run',
      build: 'tsc -p tsconfig.build.json',
      start: 'baton worker --bot ./dist/bot.js',
      typecheck: 'tsc -p tsconfig.json',
    });
    expect(pkg.dependencies).toEqual({ '@baton/bot': range, '@baton/worker': range, zod: '^4.1.0' });
    expect(pkg.devDependencies).toEqual({
      '@baton/ingester': range,
      '@baton/pod-simulator': range,
      '@types/node': '^20.19.0',
      tsx: '^4.20.0',
      typescript: '5.9.3',
      vitest: '^4.0.0',
    });
    expect(pkg.pnpm).toEqual({
      onlyBuiltDependencies: ['esbuild'],
      ignoredBuiltDependencies: ['msgpackr-extract'],
    });
  });

  it('takes --name and --baton-version', async () => {
    const dir = join(tmp, 'Some Folder');
    await scaffold({ dir, name: 'desk-bot', batonVersion: '>=0.2.0 <0.3.0' });
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('desk-bot');
    expect(pkg.dependencies['@baton/bot']).toBe('>=0.2.0 <0.3.0');
    expect(pkg.devDependencies['@baton/pod-simulator']).toBe('>=0.2.0 <0.3.0');
  });

  it('refuses an invalid name or version, writing nothing', async () => {
    expect(await codeOf(scaffold({ dir: join(tmp, 'My_Bot') }))).toBe('INVALID_NAME');
    await expect(scaffold({ dir: join(tmp, 'My_Bot') })).rejects.toThrow(/--name/);
    for (const name of ['Bot', 'my bot', '-bot', 'bot-', '@acme/bot', '', 'a'.repeat(215)]) {
      expect(await codeOf(scaffold({ dir: join(tmp, 'x'), name })), name).toBe('INVALID_NAME');
    }
    for (const batonVersion of ['', ' ^1.0.0', '"', '{{name}}', '1\n2']) {
      expect(await codeOf(scaffold({ dir: join(tmp, 'x'), batonVersion })), batonVersion).toBe(
        'INVALID_VERSION',
      );
    }
    await expect(readFile(join(tmp, 'x', 'package.json'))).rejects.toThrow();
  });

  it('refuses a folder that is not empty unless forced, then overwrites', async () => {
    const dir = join(tmp, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), '{}');
    expect(await codeOf(scaffold({ dir }))).toBe('DIR_NOT_EMPTY');
    await expect(scaffold({ dir })).rejects.toThrow(/--force/);
    expect(await readFile(join(dir, 'package.json'), 'utf8')).toBe('{}');

    await scaffold({ dir, force: true });
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).name).toBe('busy');
  });

  it('accepts an empty folder or one with only .git; refuses a file', async () => {
    const empty = join(tmp, 'empty');
    await mkdir(empty);
    await scaffold({ dir: empty });
    const repo = join(tmp, 'repo');
    await mkdir(join(repo, '.git'), { recursive: true });
    await scaffold({ dir: repo });
    await writeFile(join(tmp, 'file'), '');
    expect(await codeOf(scaffold({ dir: join(tmp, 'file'), force: true }))).toBe('NOT_A_DIRECTORY');
  });
});
