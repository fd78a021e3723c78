import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { packWorkspace, REPO_ROOT } from './pack-workspace.ts';

// `pnpm new-bot <dir> [create-baton-bot flags]`: a new bot project from this checkout, before the packages are
// published. `pnpm build` has run (the script does it first); this packs every package into .baton/tarballs,
// runs create-baton-bot with --tarballs (the project installs Baton from them), then `pnpm install` in the new
// project. Once published, the same project comes from `pnpm create baton-bot <dir>`.
const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  process.stdout.write('usage: pnpm new-bot <dir> [--name <bot-name>] [--force]\n');
  process.exit(args.length === 0 ? 2 : 0);
}
// pnpm runs scripts from the repository root; a relative <dir> means relative to where the user typed it.
const cwd = process.env['INIT_CWD'] ?? process.cwd();
const [dirArg, ...rest] = args;
const dir = resolve(cwd, dirArg as string);
const tarballs = join(REPO_ROOT, '.baton', 'tarballs');
packWorkspace(tarballs);
execFileSync(
  process.execPath,
  [join(REPO_ROOT, 'packages/create-baton-bot/dist/index.js'), dir, '--tarballs', tarballs, ...rest],
  { stdio: 'inherit' },
);
// Third-party packages come from the pnpm store the workspace install filled, when they are there.
execFileSync('pnpm', ['install', '--prefer-offline'], { cwd: dir, stdio: 'inherit' });
