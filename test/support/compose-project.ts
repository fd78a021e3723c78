import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@baton/testing';

// A `docker compose` project of this repository run for real (test/compose-up.compose.test.ts): the commands
// run with a clean environment (PATH, HOME and Docker's own variables only), so nothing of the shell that runs
// the tests (a SYMPHONY_POD_URL, a LOG_LEVEL) leaks into the compose file's interpolation.

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  ms: number;
}

const DOCKER_VARIABLES = /^(DOCKER_|BUILDKIT_)/;

/** The environment of a docker command: PATH, HOME, Docker's variables, then `extra`. */
export function dockerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && (key === 'PATH' || key === 'HOME' || DOCKER_VARIABLES.test(key)))
      env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command to its end (killed past `timeoutMs`); stdout and stderr interleaved in `output`, and appended
 * to `logFile` when given.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs: number; logFile?: string },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? WORKSPACE_ROOT,
      env: opts.env ?? dockerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (opts.logFile) appendFileSync(opts.logFile, text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    if (opts.logFile) appendFileSync(opts.logFile, `\n$ ${command} ${args.join(' ')}\n`);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, ms: Date.now() - started });
    });
  });
}

/** The last `lines` lines of a command's output, for an error message. */
export const tail = (output: string, lines = 60): string =>
  output.trim().split('\n').slice(-lines).join('\n');

export interface ComposeProject {
  readonly name: string;
  /** `docker compose -p <name> -f … --env-file … <args>`; rejects unless it exits 0. */
  compose(args: readonly string[], timeoutMs: number): Promise<CommandResult>;
  /** The same, resolving whatever the exit code. */
  tryCompose(args: readonly string[], timeoutMs: number): Promise<CommandResult>;
}

export function composeProject(opts: {
  name: string;
  /** Compose files, relative to the repository root or absolute; the first is the project's directory. */
  files: readonly string[];
  /** Replaces the project directory's .env for interpolation. */
  envFile: string;
  logFile?: string;
}): ComposeProject {
  const base = [
    'compose',
    '-p',
    opts.name,
    ...opts.files.flatMap((f) => ['-f', f.startsWith('/') ? f : join(WORKSPACE_ROOT, f)]),
    '--env-file',
    opts.envFile,
  ];
  const tryCompose = (args: readonly string[], timeoutMs: number) =>
    runCommand('docker', [...base, ...args], {
      timeoutMs,
      ...(opts.logFile ? { logFile: opts.logFile } : {}),
    });
  return {
    name: opts.name,
    tryCompose,
    async compose(args, timeoutMs) {
      const result = await tryCompose(args, timeoutMs);
      if (result.code !== 0) {
        const how = result.signal ? `killed (${result.signal}) after ${timeoutMs} ms` : `exit ${result.code}`;
        throw new Error(`docker compose ${args.join(' ')}: ${how}\n${tail(result.output)}`);
      }
      return result;
    },
  };
}
