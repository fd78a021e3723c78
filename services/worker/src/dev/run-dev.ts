// `baton dev` (the repository's `pnpm start`): the whole stack for one bot on one machine, no Docker (see
// docs/operations.md, "baton dev"). Loads .env + the environment, resolves every process from the project, starts
// the stack, prints the URLs once healthy, reloads the workers when the bot's files change, stops everything on
// Ctrl-C.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, STOP_SIGNALS } from '@baton/shared';
import { type BotChoice, chooseBotModule } from './choose-bot-module.ts';
import { type BotDirWatcher, createBotDirWatcher } from './create-bot-dir-watcher.ts';
import { createStack, PortsInUseError, RedisUnavailableError, type Stack } from './create-stack.ts';
import { DevSetupError } from './dev-setup-error.ts';
import { loadDotenv } from './load-dotenv.ts';
import { readyBanner } from './ready-banner.ts';
import { resolveStackCommands, type StackCommands } from './resolve-stack-commands.ts';
import { describeRunningStack, findRunningStack, howToStop, stopRunningStack } from './running-stack.ts';
import { createStackOutput, type StackOutput } from './stack-output.ts';
import { loadStartConfig, type StartConfig } from './start-config.ts';
import { HealthTimeoutError, StartAbortedError } from './wait-healthy.ts';

/** What the command line of `baton dev` asks for; each flag, when given, overrides its variable. */
export interface DevRequest {
  /** `--bot`: BOT_MODULE. */
  bot?: string;
  /** `--default-bot`: the bot when neither `--bot` nor BOT_MODULE names one. */
  defaultBot?: string;
  /** `--workers`: WORKERS. */
  workers?: number;
  /** `--sources`: BATON_DEV_SOURCES=true. */
  sources: boolean;
}

export interface DevDeps {
  /** The process environment (read once, by the CLI entry). */
  env: Readonly<Record<string, string | undefined>>;
  /** The bot project: the folder `baton dev` runs in (the service packages are resolved from it). */
  projectDir: string;
  /** The package of this CLI (@baton/worker): runs the workers when the project does not resolve it. */
  workerDir: string;
  write(text: string): void;
  /** ANSI colours in the output. */
  colour: boolean;
  /**
   * Asks the developer a yes/no question on the terminal (START_IF_RUNNING=ask); undefined when there is no
   * terminal to ask on (stdin is not a TTY).
   */
  confirm?: (question: string) => Promise<boolean>;
}

type Env = Record<string, string | undefined>;

function readEnv(request: DevRequest, deps: DevDeps, output: StackOutput): Env {
  // BATON_ENV_FILE: another .env (tests point it at a file that does not exist, to ignore the developer's .env).
  const path = resolve(deps.projectDir, deps.env['BATON_ENV_FILE'] || '.env');
  const { env, used, ignored, problems } = loadDotenv(path, deps.env);
  for (const problem of problems) output.warn(`${relative(deps.projectDir, path) || path}: ${problem}`);
  if (ignored.length > 0) {
    output.warn(
      `.env: ignoring ${ignored.join(', ')} (docker compose values: container host names or paths)`,
    );
  }
  if (used.length > 0) output.info(`.env: using ${used.join(', ')}`);
  if (request.bot !== undefined) env['BOT_MODULE'] = request.bot;
  if (request.workers !== undefined) env['WORKERS'] = String(request.workers);
  if (request.sources) env['BATON_DEV_SOURCES'] = 'true';
  return env;
}

/** Which build of the Baton packages the stack runs, for the start line. */
function describeModes(commands: StackCommands): string {
  const modes = new Set(
    Object.values(commands).flatMap((c: StackCommands[keyof StackCommands]) => (c ? [c.mode] : [])),
  );
  if (modes.size > 1) return 'the Baton packages from their sources where they have them, else from dist';
  return modes.has('source')
    ? 'the Baton packages from their TypeScript sources (--sources)'
    : 'the Baton packages from dist (compiled JavaScript)';
}

/**
 * Runs `baton dev` until Ctrl-C / SIGTERM (or a fatal crash) and resolves the exit code: 0 after a clean stop,
 * 1 when a process crashed for good or the stack did not become healthy, 2 for a configuration or setup error
 * (the message says what to set, add or build).
 */
export async function runDev(request: DevRequest, deps: DevDeps): Promise<number> {
  const { projectDir } = deps;
  const output = createStackOutput({ write: deps.write, colour: deps.colour });
  const env = readEnv(request, deps, output);
  let config: StartConfig;
  let bot: BotChoice;
  let commands: StackCommands;
  try {
    config = loadStartConfig(env, projectDir);
    bot = chooseBotModule(config.BOT_MODULE ?? request.defaultBot, {
      invokedFrom: config.INIT_CWD ?? projectDir,
      projectDir,
    });
    commands = resolveStackCommands(config, bot, { projectDir, workerDir: deps.workerDir });
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof DevSetupError)) throw err;
    output.error(err.message);
    return 2;
  }
  const shown = (path: string): string => {
    const rel = relative(projectDir, path);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };

  let stack: Stack | undefined;
  let watcher: BotDirWatcher | undefined;
  let stopRequestedAt: number | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => {
    finish = r;
  });

  async function shutdown(code: number, why: string, note = ''): Promise<void> {
    if (stopRequestedAt !== undefined) return;
    stopRequestedAt = Date.now();
    watcher?.close();
    output.info(`${why}: stopping everything${note}`);
    await stack?.stop();
    output.info(code === 0 ? 'stopped: every process exited cleanly (exit 0)' : `stopped (exit ${code})`);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    finish(code);
  }

  function onSignal(signal: NodeJS.Signals): void {
    // pnpm and tsx relay the terminal's Ctrl-C too: signals within 2 s of the first one are the same request.
    if (stopRequestedAt !== undefined) {
      if (Date.now() - stopRequestedAt < 2_000) return;
      output.error(`${signal} again: killing every process now`);
      for (const pid of stack?.allPids() ?? []) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    }
    const why =
      signal === 'SIGHUP' ? 'SIGHUP (terminal closed)' : signal === 'SIGINT' ? 'Ctrl-C (SIGINT)' : signal;
    const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    void shutdown(0, why, ` (${again} again after 2 s kills everything at once)`);
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // A closed terminal (SIGHUP) or a killed pnpm leaves stdout without a reader: the stop goes on regardless.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  function watchBot(file: string, running: Stack): void {
    const dir = dirname(file);
    try {
      watcher = createBotDirWatcher(
        { dir, ignoreDirs: [config.home] },
        {
          onChange: (changed) => {
            if (stopRequestedAt !== undefined) return;
            output.info(`reloading workers: ${shown(changed)} changed`);
            running.reloadWorkers().then(
              (result) => {
                if (result === 'reloaded' && stopRequestedAt === undefined) output.info('workers reloaded');
              },
              (err: unknown) =>
                output.error(`reload failed: ${err instanceof Error ? err.message : String(err)}`),
            );
          },
          onError: (err) => output.warn(`watching ${shown(dir)} failed (${err.message}): no reload on save`),
        },
      );
    } catch (err) {
      output.warn(
        `cannot watch ${shown(dir)} (${err instanceof Error ? err.message : String(err)}): no reload on save`,
      );
    }
  }

  const earlier = await findRunningStack(config.home);
  if (earlier) {
    output.warn(describeRunningStack(earlier));
    const stop =
      config.START_IF_RUNNING === 'stop' ||
      (config.START_IF_RUNNING === 'ask' &&
        deps.confirm !== undefined &&
        (await deps.confirm(
          earlier.orchestratorAlive ? 'Stop it and start again?' : 'Stop them and start?',
        )));
    if (!stop) {
      output.error(howToStop(earlier));
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      return 2;
    }
    output.info('stopping the earlier run first');
    const left = await stopRunningStack(earlier, config.home, config.START_STOP_TIMEOUT_MS);
    if (left.length > 0) {
      output.error(`could not stop ${left.join(', ')}: stop it by hand and start again`);
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      return 2;
    }
    output.info('the earlier run is stopped');
  }

  stack = createStack(config, {
    output,
    env,
    projectDir,
    commands,
    bot,
    onFatal: (reason) => void shutdown(1, `giving up: ${reason}`),
  });
  output.info(
    config.simulated
      ? `starting Baton for the bot ${bot.given} with the pod simulator (BATON_HOME=${config.home})`
      : `starting Baton for the bot ${bot.given} against the pod at ${config.SYMPHONY_POD_URL} (no simulator)`,
  );
  output.info(`running ${describeModes(commands)}`);
  try {
    const info = await stack.start();
    const watching = bot.file !== undefined ? `${shown(dirname(bot.file))}/` : undefined;
    output.info(readyBanner(info, { given: bot.given, watching }));
    if (bot.file !== undefined && stopRequestedAt === undefined) watchBot(bot.file, stack);
  } catch (err) {
    if (err instanceof StartAbortedError) {
      // Ctrl-C during startup: shutdown() is already under way.
    } else if (err instanceof PortsInUseError) {
      output.error(err.message);
      await shutdown(2, 'ports in use');
    } else if (err instanceof RedisUnavailableError) {
      output.error(err.message);
      await shutdown(2, 'no Redis');
    } else if (err instanceof HealthTimeoutError) {
      output.error(`${err.message}; see the logs above`);
      await shutdown(1, 'startup failed');
    } else {
      output.error(`startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await shutdown(1, 'startup failed');
    }
  }
  return finished;
}
