import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isBotModulePath } from '../runtime/load-bot-module.ts';
import { DevSetupError } from './dev-setup-error.ts';

/** The bot `baton dev` runs. */
export interface BotChoice {
  /** BOT_MODULE as the workers get it: an absolute file path, or a package name. */
  module: string;
  /** As given (or the default `./src/bot.ts`), for messages. */
  given: string;
  /** The bot's file when BOT_MODULE is a path (its folder is watched); undefined for a package. */
  file: string | undefined;
  /** A TypeScript file: the workers run with `--import tsx`. */
  typescript: boolean;
}

export const DEFAULT_BOT_FILE = './src/bot.ts';

/**
 * Which bot to run: `configured` (`--bot`, else BOT_MODULE), else `./src/bot.ts` of the project when it exists.
 * A relative path is resolved against the folder `baton dev` was run from (`invokedFrom`: pnpm's INIT_CWD), or the
 * project folder when it names no file there (a path written in one of the project's package.json scripts).
 * Throws DevSetupError NO_BOT when there is no bot, or no file at the path.
 */
export function chooseBotModule(
  configured: string | undefined,
  dirs: { invokedFrom: string; projectDir: string },
): BotChoice {
  if (configured === undefined) {
    const file = resolve(dirs.projectDir, DEFAULT_BOT_FILE);
    if (!existsSync(file)) {
      throw new DevSetupError(
        'NO_BOT',
        `no bot to run: pass --bot <module> (a file or a package), set BOT_MODULE (environment or .env), or create ${DEFAULT_BOT_FILE}`,
      );
    }
    return { module: file, given: DEFAULT_BOT_FILE, file, typescript: true };
  }
  if (!isBotModulePath(configured))
    return { module: configured, given: configured, file: undefined, typescript: false };
  const candidates = [resolve(dirs.invokedFrom, configured), resolve(dirs.projectDir, configured)];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    throw new DevSetupError('NO_BOT', `BOT_MODULE: no file at ${candidates[0]} (the bot ${configured})`);
  }
  return { module: file, given: configured, file, typescript: /\.(c|m)?tsx?$/.test(file) };
}
