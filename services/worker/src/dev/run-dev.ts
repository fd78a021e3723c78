// `pnpm start`: the whole Baton stack on one machine, no Docker (see docs/operations.md, "pnpm start").
// Loads .env + the environment, builds the stack, prints the URLs once healthy, stops everything on Ctrl-C.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@baton/shared';
import { createStack, PortsInUseError, RedisUnavailableError, type Stack } from './start/create-stack.ts';
import { loadDotenv } from './start/load-dotenv.ts';
import { readyBanner } from './start/ready-banner.ts';
import { createStackOutput } from './start/stack-output.ts';
import { loadStartConfig } from './start/start-config.ts';
import { HealthTimeoutError, StartAbortedError } from './start/wait-healthy.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const colour = process.stdout.isTTY === true && !process.env['NO_COLOR'];
const output = createStackOutput({ write: (s) => process.stdout.write(s), colour });

function readEnv(): Record<string, string | undefined> {
  // BATON_ENV_FILE: another .env (tests point it at a file that does not exist, to ignore the developer's .env).
  const path = resolve(repoRoot, process.env['BATON_ENV_FILE'] || '.env');
  const { env, used, ignored } = loadDotenv(path, process.env);
  if (ignored.length > 0) {
    output.warn(
      `.env: ignoring ${ignored.join(', ')} (docker compose values: container host names or paths)`,
    );
  }
  if (used.length > 0) output.info(`.env: using ${used.join(', ')}`);
  return env;
}

const env = readEnv();
let config: ReturnType<typeof loadStartConfig>;
try {
  config = loadStartConfig(env, repoRoot);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  output.error(err.message);
  process.exit(2);
}

let stack: Stack | undefined;
let exitCode = 0;
let stopRequestedAt: number | undefined;

async function shutdown(code: number, why: string): Promise<void> {
  if (stopRequestedAt !== undefined) return;
  stopRequestedAt = Date.now();
  exitCode = code;
  output.info(`${why}: stopping everything`);
  await stack?.stop();
  output.info(code === 0 ? 'stopped' : `stopped (exit ${code})`);
  process.exit(exitCode);
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
  void shutdown(0, `${signal} (again, after 2 s, to kill at once)`);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

stack = createStack(config, {
  output,
  env,
  repoRoot,
  onFatal: (reason) => void shutdown(1, `giving up: ${reason}`),
});
output.info(
  config.simulated
    ? `starting Baton with the pod simulator (BATON_HOME=${config.home})`
    : `starting Baton against the pod at ${config.SYMPHONY_POD_URL} (no simulator)`,
);
try {
  const info = await stack.start();
  output.info(readyBanner(info));
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
