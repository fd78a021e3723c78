import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askTheBot,
  type BatonDevChild,
  hasRedisServer,
  REPO_ROOT,
  startBatonDev,
  tradingDesk,
} from './support/baton-dev-child.ts';

// `baton dev` in a bot project of its own (a temporary folder shaped like what create-baton-bot makes: a
// package.json, src/bot.ts, and the Baton packages in node_modules, here symlinks into this repository; no
// @baton/dashboard). With no --bot it runs ./src/bot.ts; saving the file reloads the workers; a broken save
// leaves the stack up until the next one.

const project = mkdtempSync(join(tmpdir(), 'baton-bot-project-'));
const botFile = join(project, 'src', 'bot.ts');

function link(pkg: string, target: string): void {
  const at = join(project, 'node_modules', pkg);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(join(REPO_ROOT, target), at, 'dir');
}

const shoutBot = (reply: string): string =>
  [
    "import { createBot } from '@baton/bot';",
    '',
    "export default createBot({ id: 'tmp-bot' }).command('/shout {text:text}', {",
    "  description: 'Shout it back',",
    '  handler: async (ctx) => {',
    `    await ctx.reply(${reply});`,
    '  },',
    '});',
    '',
  ].join('\n');

let dev: BatonDevChild | undefined;

beforeAll(() => {
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'tmp-bot', private: true, type: 'module' }, null, 2),
  );
  link('@baton/bot', 'packages/bot');
  link('@baton/worker', 'services/worker');
  link('@baton/ingester', 'services/ingester');
  link('@baton/pod-simulator', 'packages/pod-simulator');
  link('tsx', 'node_modules/tsx');
  mkdirSync(dirname(botFile), { recursive: true });
  writeFileSync(botFile, shoutBot('ctx.args.text.toUpperCase()'));
  dev = startBatonDev({ args: ['dev', '--sources', '--workers', '1'], cwd: project });
});

afterAll(async () => {
  await dev?.cleanUp();
  rmSync(project, { recursive: true, force: true });
});

describe.skipIf(!hasRedisServer && !process.env['REDIS_URL'])('baton dev with a bot file', () => {
  it('runs ./src/bot.ts, and reloads the workers when it is saved', async () => {
    const d = dev as BatonDevChild;
    const simControl = await d.waitFor('the ready banner', () => d.bannerValue('sim control'), 45_000);
    const sim = simControl.replace(/\/_sim$/, '');
    expect(d.output()).toContain('Bot ./src/bot.ts: saving a file under src/ reloads the workers.');
    // No @baton/dashboard in this project: no dashboard, and no market data (not the reference bot).
    expect(d.bannerValue('dashboard')).toBeUndefined();
    const pids = d.bannerValue('pids') ?? '';
    expect(pids).toMatch(/worker-1=\d+/);
    expect(pids).not.toMatch(/dashboard|market-data|worker-2/);

    const desk = await tradingDesk(sim);
    expect(await askTheBot(d, sim, desk, '@baton-bot /shout hello', (t) => t.includes('HELLO'))).toBe(
      'HELLO',
    );

    // A broken save: the worker refuses to load it, the stack stays up.
    const reloads = () => d.output().match(/reloading workers: src\/bot\.ts changed/g)?.length ?? 0;
    writeFileSync(botFile, 'export default createBot(( =>\n');
    await d.waitFor('the reload of the broken bot', () => (reloads() >= 1 ? true : undefined), 10_000);
    await d.waitFor(
      'the worker refusing the broken bot',
      () =>
        /worker-1 refused its configuration \(exit 2\): fix the error/.test(d.output()) ? true : undefined,
      15_000,
    );
    expect(d.cli.running).toBe(true);

    // Fixed, answering differently: the workers reload and the reply changes.
    writeFileSync(botFile, shoutBot("ctx.args.text.toUpperCase() + '!!!'"));
    await d.waitFor('the second reload', () => (reloads() >= 2 ? true : undefined), 10_000);
    await d.waitFor(
      'the reloaded workers',
      () => (/\| workers reloaded$/m.test(d.output()) ? true : undefined),
      20_000,
    );
    expect(await askTheBot(d, sim, desk, '@baton-bot /shout again', (t) => t.includes('AGAIN'))).toBe(
      'AGAIN!!!',
    );

    void d.cli.kill('SIGINT');
    expect(await d.exited).toEqual({ code: 0, signal: null });
    expect(d.processesOfThisStack()).toEqual([]);
  }, 60_000);
});
