import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNode } from '@baton/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const entry = resolve(import.meta.dirname, '../src/index.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `create-baton-bot ...args` as a real process (sources through tsx, from the repository root). */
async function cli(args: string[]): Promise<Run> {
  const run = await runNode({ name: 'create-baton-bot', entry, args, inheritEnv: true }, 60_000);
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

/** Bad input: exit 2 and exactly one line on stderr. */
function expectUsageError(run: Run, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^create-baton-bot: /);
  expect(lines[0]).toMatch(pattern);
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'create-baton-bot-cli-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('create-baton-bot (the process)', () => {
  it('scaffolds, prints the next steps and exits 0', async () => {
    const dir = join(tmp, 'my-bot');
    const run = await cli([dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Created ${dir}`);
    for (const step of [`cd ${dir}`, 'pnpm install', 'pnpm dev', 'pnpm test'])
      expect(run.stdout).toContain(step);
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).name).toBe('my-bot');
    expect((await stat(join(dir, '.gitignore'))).isFile()).toBe(true);
  });

  it('takes --name, --baton-version and --force', async () => {
    const dir = join(tmp, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.md'), 'mine');
    const run = await cli([dir, '--force', '--name', 'desk-bot', '--baton-version=^0.2.0']);
    expect(run.code).toBe(0);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('desk-bot');
    expect(pkg.dependencies['@baton/worker']).toBe('^0.2.0');
    expect(await readFile(join(dir, 'notes.md'), 'utf8')).toBe('mine');
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: create-baton-bot <dir> \[options\]/);
    for (const flag of ['--name', '--baton-version', '--tarballs', '--force', '--help']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stderr).toBe('');
  });

  it('exits 2 on an unknown flag', async () => {
    expectUsageError(await cli([join(tmp, 'x'), '--frobnicate']), /unknown option --frobnicate/);
  });

  it('exits 2 without a folder, or with two', async () => {
    expectUsageError(await cli([]), /missing the folder to create/);
    expectUsageError(await cli(['--force']), /missing the folder to create/);
    expectUsageError(await cli([join(tmp, 'a'), join(tmp, 'b')]), /expected one folder, got 2/);
  });

  it('exits 2 on a flag without its value', async () => {
    expectUsageError(await cli([join(tmp, 'x'), '--name']), /--name/);
  });

  it('exits 2 on a folder that is not empty, without --force', async () => {
    const dir = join(tmp, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.md'), 'mine');
    expectUsageError(await cli([dir]), /is not empty.*--force/);
  });

  it('exits 2 on an invalid name', async () => {
    expectUsageError(await cli([join(tmp, 'x'), '--name', 'My Bot']), /invalid --name "My Bot"/);
    expectUsageError(await cli([join(tmp, 'Desk_Bot')]), /not a valid bot name.*--name/);
  });

  it('exits 2 when the tarball folder lacks a needed tarball', async () => {
    const tarballs = join(tmp, 'tarballs');
    await mkdir(tarballs);
    expectUsageError(await cli([join(tmp, 'x'), '--tarballs', tarballs]), /no tarball of @baton\/bot/);
    expectUsageError(await cli([join(tmp, 'x'), '--tarballs', join(tmp, 'nope')]), /is not a folder/);
  });
});
