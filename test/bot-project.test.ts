import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packWorkspace, publishablePackages, REPO_ROOT } from '../tools/pack-workspace.ts';
import {
  askTheBot,
  type BatonDevChild,
  getJson,
  hasRedisServer,
  startBatonDev,
  tradingDesk,
} from './support/baton-dev-child.ts';

// Proof from outside the workspace, as a bot team would do it: the packages are packed into tarballs (what
// `pnpm publish` uploads), a project is scaffolded into a temp folder outside the repository and installed
// from those tarballs (third-party packages from the pnpm store when they are there), its own tests run, and
// `baton dev` (the installed CLI, running compiled code) answers its command through the pod simulator; a
// second command written into src/bot.ts while it runs is reloaded and answers 10 times out of 10.

const work = mkdtempSync(join(tmpdir(), 'baton-project-'));
const project = join(work, 'desk-bot');
let dev: BatonDevChild | undefined;

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: cwd, CI: 'true' },
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
};

beforeAll(() => {
  // `pnpm test` builds first; a lone run of this file builds what is missing.
  if (publishablePackages().some((p) => !existsSync(join(p.dir, 'dist')))) {
    execFileSync('pnpm', ['build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  }
  const tarballs = packWorkspace(join(work, 'tarballs'));
  expect(tarballs.map((t) => t.split('/').at(-1))).toEqual(
    expect.arrayContaining(['baton-bot-0.1.0.tgz', 'baton-worker-0.1.0.tgz', 'create-baton-bot-0.1.0.tgz']),
  );
  const scaffolded = run(
    process.execPath,
    [
      join(REPO_ROOT, 'packages/create-baton-bot/dist/index.js'),
      project,
      '--tarballs',
      join(work, 'tarballs'),
    ],
    work,
  );
  expect(scaffolded.status, scaffolded.out).toBe(0);
  const installed = run('pnpm', ['install', '--prefer-offline'], project);
  expect(installed.status, installed.out).toBe(0);
}, 240_000);

afterAll(async () => {
  await dev?.cleanUp();
  rmSync(work, { recursive: true, force: true });
});

describe('a bot project outside the workspace', () => {
  it('is installed from the tarballs, not from the workspace', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@baton/bot']).toMatch(/^file:.*baton-bot-0\.1\.0\.tgz$/);
    expect(project.startsWith(REPO_ROOT)).toBe(false);
    // What the project runs is the packed dist: no TypeScript source of Baton ships.
    const workerDir = join(project, 'node_modules/@baton/worker');
    expect(existsSync(join(workerDir, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(workerDir, 'src'))).toBe(false);
  });

  it("runs the project's own tests, type check and build", () => {
    for (const script of ['test', 'typecheck', 'build']) {
      const r = run('pnpm', [script], project);
      expect(r.status, `${script}:\n${r.out}`).toBe(0);
    }
    expect(existsSync(join(project, 'dist/bot.js'))).toBe(true);
  }, 120_000);

  it.skipIf(!hasRedisServer)(
    'baton dev answers the scaffolded command, then a command added while it runs, 10 out of 10',
    async () => {
      dev = startBatonDev({
        entry: join(project, 'node_modules/@baton/worker/bin/baton.js'),
        args: ['dev'],
        cwd: project,
      });
      const simControl = await dev.waitFor('the ready banner', () => dev?.bannerValue('sim control'), 90_000);
      expect(dev.output()).toMatch(/from dist/);
      const sim = simControl.replace(/\/_sim$/, '');
      const desk = await tradingDesk(sim);
      const running = dev;
      const ask = (text: string, matches: (reply: string) => boolean) =>
        askTheBot(running, sim, desk, `@baton-bot ${text}`, matches, 30_000);

      expect(await ask('/hello Ada', (r) => r.startsWith('Hello'))).toBe('Hello, Ada!');

      // A second command, written while `baton dev` runs: the workers reload it.
      const file = join(project, 'src/bot.ts');
      const source = readFileSync(file, 'utf8');
      const withShout = source.replace(
        ".command('/hello [name:text]'",
        [
          ".command('/shout {text:text}', {",
          "        description: 'Say it louder',",
          '        handler: async (ctx) => {',
          '          await ctx.reply(ctx.args.text.toUpperCase());',
          '        },',
          '      })',
          "      .command('/hello [name:text]'",
        ].join('\n'),
      );
      expect(withShout).not.toBe(source);
      writeFileSync(file, withShout);
      await dev.waitFor(
        'the reloaded workers',
        () => (/workers reloaded/.test(running.output()) ? true : undefined),
        45_000,
      );

      const url = `${sim}/_sim/streams/${encodeURIComponent(desk.streamId)}/messages`;
      const botTexts = async () =>
        (await getJson<{ text: string; sender: { username: string } }[]>(url))
          .filter((m) => m.sender.username === 'baton-bot')
          .map((m) => m.text.trim());
      const before = (await botTexts()).length;
      const expected = Array.from({ length: 10 }, (_, i) => `ROUND ${i}`);
      for (let i = 0; i < 10; i++) {
        await getJson(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fromUserId: desk.aliceId, text: `@baton-bot /shout round ${i}` }),
        });
      }
      await dev.waitFor(
        '10 shouted replies',
        async () => ((await botTexts()).slice(before).length >= 10 ? true : undefined),
        30_000,
      );
      const answered = (await botTexts()).slice(before);
      expect(answered).toEqual(expected); // 10 of 10, each once, in order, no "I don't know /shout"

      const exit = await dev.cli.kill('SIGINT');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(dev.processesOfThisStack()).toEqual([]);
    },
    240_000,
  );
});
