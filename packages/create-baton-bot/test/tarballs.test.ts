import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scaffold } from '../src/scaffold.ts';
import { ScaffoldError } from '../src/scaffold-error.ts';
import { writeTarball } from './helpers/write-tarball.ts';

let tmp: string;
let tarballs: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'create-baton-bot-'));
  tarballs = join(tmp, 'tarballs');
  await mkdir(tarballs);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const shared = { name: '@baton/shared', version: '0.1.0', dependencies: { zod: '^4.1.0' } };
const PACKAGES: Record<string, Record<string, unknown>> = {
  'baton-shared-0.1.0.tgz': shared,
  'baton-bot-0.1.0.tgz': { name: '@baton/bot', version: '0.1.0', dependencies: { '@baton/shared': '0.1.0' } },
  'baton-worker-0.1.0.tgz': {
    name: '@baton/worker',
    version: '0.1.0',
    dependencies: { '@baton/shared': '0.1.0', bullmq: '6.7.0' },
    peerDependencies: { '@baton/bot': '0.1.0' },
  },
  'baton-ingester-0.1.0.tgz': {
    name: '@baton/ingester',
    version: '0.1.0',
    dependencies: { '@baton/shared': '0.1.0' },
  },
  'baton-pod-simulator-0.1.0.tgz': {
    name: '@baton/pod-simulator',
    version: '0.1.0',
    dependencies: { '@baton/shared': '0.1.0' },
  },
};

async function pack(files: Record<string, Record<string, unknown>> = PACKAGES) {
  for (const [file, manifest] of Object.entries(files)) await writeTarball(join(tarballs, file), manifest);
}

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScaffoldError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ScaffoldError');
};

describe('scaffold --tarballs', () => {
  it('points every @baton dependency at its tarball and overrides every @baton tarball', async () => {
    await pack();
    await writeTarball(join(tarballs, 'left-pad-1.3.0.tgz'), { name: 'left-pad', version: '1.3.0' });
    await writeFile(join(tarballs, 'notes.txt'), 'not a tarball');
    const dir = join(tmp, 'my-bot');
    await scaffold({ dir, tarballs });
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const file = (name: string) => `file:${join(tarballs, name)}`;
    expect(pkg.dependencies).toEqual({
      '@baton/bot': file('baton-bot-0.1.0.tgz'),
      '@baton/worker': file('baton-worker-0.1.0.tgz'),
      zod: '^4.1.0',
    });
    expect(pkg.devDependencies).toMatchObject({
      '@baton/ingester': file('baton-ingester-0.1.0.tgz'),
      '@baton/pod-simulator': file('baton-pod-simulator-0.1.0.tgz'),
      tsx: '^4.20.0',
    });
    expect(pkg.pnpm).toEqual({
      onlyBuiltDependencies: ['esbuild'],
      ignoredBuiltDependencies: ['msgpackr-extract'],
      overrides: {
        '@baton/bot': file('baton-bot-0.1.0.tgz'),
        '@baton/ingester': file('baton-ingester-0.1.0.tgz'),
        '@baton/pod-simulator': file('baton-pod-simulator-0.1.0.tgz'),
        '@baton/shared': file('baton-shared-0.1.0.tgz'),
        '@baton/worker': file('baton-worker-0.1.0.tgz'),
      },
    });
  });

  it('takes the package name from inside the tarball, not from its file name', async () => {
    const { 'baton-bot-0.1.0.tgz': bot, ...rest } = PACKAGES;
    await pack({ ...rest, 'renamed.tgz': bot ?? {} });
    const dir = join(tmp, 'my-bot');
    await scaffold({ dir, tarballs });
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@baton/bot']).toBe(`file:${join(tarballs, 'renamed.tgz')}`);
    expect(pkg.pnpm.overrides['@baton/bot']).toBe(`file:${join(tarballs, 'renamed.tgz')}`);
  });

  it('fails, writing nothing, when a direct dependency has no tarball', async () => {
    const { 'baton-worker-0.1.0.tgz': _worker, 'baton-ingester-0.1.0.tgz': _ingester, ...rest } = PACKAGES;
    await pack(rest);
    const dir = join(tmp, 'my-bot');
    const error = await failure(scaffold({ dir, tarballs }));
    expect(error.code).toBe('MISSING_TARBALL');
    expect(error.message).toContain('@baton/worker, @baton/ingester (needed by the new project)');
    await expect(stat(dir)).rejects.toThrow();
  });

  it('fails when a tarball needs a @baton package that is not there', async () => {
    const { 'baton-shared-0.1.0.tgz': _shared, ...rest } = PACKAGES;
    await pack(rest);
    const error = await failure(scaffold({ dir: join(tmp, 'my-bot'), tarballs }));
    expect(error.code).toBe('MISSING_TARBALL');
    expect(error.message).toContain('@baton/shared (needed by @baton/bot@0.1.0)');
  });

  it('fails on a missing folder, a broken tarball, or two tarballs of one package', async () => {
    expect((await failure(scaffold({ dir: join(tmp, 'a'), tarballs: join(tmp, 'nope') }))).code).toBe(
      'TARBALLS_NOT_FOUND',
    );
    await pack();
    await writeFile(join(tarballs, 'broken.tgz'), 'not gzip');
    expect((await failure(scaffold({ dir: join(tmp, 'b'), tarballs }))).code).toBe('BAD_TARBALL');
    await rm(join(tarballs, 'broken.tgz'));
    await writeTarball(join(tarballs, 'baton-shared-0.0.9.tgz'), { ...shared, version: '0.0.9' });
    const twin = await failure(scaffold({ dir: join(tmp, 'c'), tarballs }));
    expect(twin.code).toBe('DUPLICATE_TARBALL');
    expect(twin.message).toContain('@baton/shared');
  });
});
