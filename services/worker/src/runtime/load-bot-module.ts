import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BotModuleInit, RuntimeBot } from '@baton/bot';
import { ConfigError } from '@baton/shared';
import { BotModuleError } from './bot-module-error.ts';

/** A loaded bot and the id the runtime falls back to when the bot names none (the module as configured). */
export interface LoadedBot {
  bot: RuntimeBot;
  moduleId: string;
}

/** Whether BOT_MODULE names a file (a path, or a name with a JS/TS extension) rather than a package. */
export const isBotModulePath = (spec: string) =>
  spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(j|t)sx?$/.test(spec);

const isRuntimeBot = (value: unknown): value is RuntimeBot =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RuntimeBot).handle === 'function' &&
  typeof (value as RuntimeBot).handleTask === 'function' &&
  typeof (value as RuntimeBot).failureReply === 'function';

/** Where `spec` points: a file URL for a path (relative to `cwd`), or the package resolved from `cwd`. */
function locate(spec: string, cwd: string): string {
  if (isBotModulePath(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file)) throw new BotModuleError('NOT_FOUND', spec, `no file at ${file}`);
    return pathToFileURL(file).href;
  }
  try {
    return pathToFileURL(createRequire(resolve(cwd, 'package.json')).resolve(spec)).href;
  } catch (err) {
    throw new BotModuleError(
      'NOT_FOUND',
      spec,
      `cannot find the package "${spec}" from ${cwd} (is it installed?)`,
      { cause: err },
    );
  }
}

/**
 * Loads the bot `BOT_MODULE` names: its `default` (or `bot`) export, a bot or a factory called once with the
 * environment and the logger. A missing module, one that throws while loading, one exporting no bot, or a
 * factory that throws gives a `BotModuleError` (a ConfigError naming BOT_MODULE); a ConfigError the factory
 * throws about the bot's own variables is passed on as it is.
 */
export async function loadBotModule(spec: string, opts: { cwd: string } & BotModuleInit): Promise<LoadedBot> {
  const url = locate(spec, opts.cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.(c|m)?tsx?$/.test(url)) {
      throw new BotModuleError(
        'TYPESCRIPT',
        spec,
        `${spec} is TypeScript: run the worker with tsx (\`node --import tsx\`; \`baton dev\` does) or point BOT_MODULE at the built .js`,
        { cause: err },
      );
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new BotModuleError('LOAD_FAILED', spec, `${spec} threw while loading: ${message}`, { cause: err });
  }
  const exported = mod['default'] ?? mod['bot'];
  if (isRuntimeBot(exported)) return { bot: exported, moduleId: spec };
  if (typeof exported !== 'function') {
    const all = Object.keys(mod);
    const names = all.length > 8 ? [...all.slice(0, 8), `… ${all.length - 8} more`] : all;
    throw new BotModuleError(
      'NO_BOT',
      spec,
      `${spec} exports no bot: expected \`export default createBot(…)\` or a factory \`export default defineBot((init) => …)\` (its exports: ${names.length > 0 ? names.join(', ') : 'none'})`,
    );
  }
  let made: unknown;
  try {
    made = await (exported as (init: BotModuleInit) => unknown)({ env: opts.env, logger: opts.logger });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new BotModuleError('FACTORY_FAILED', spec, `the bot factory of ${spec} threw: ${message}`, {
      cause: err,
    });
  }
  if (!isRuntimeBot(made)) {
    throw new BotModuleError(
      'NO_BOT',
      spec,
      `the factory exported by ${spec} returned something that is not a bot`,
    );
  }
  return { bot: made, moduleId: spec };
}
