import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { type ProcUsage, readProcUsage } from './proc-usage.ts';

/** Repository root (bench/src/harness → ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * An entry run as its own Node process, so its pid is the real one: compiled JavaScript as it is
 * (`node --enable-source-maps <entry.js>`), a TypeScript source through tsx.
 */
export interface ChildService {
  readonly label: string;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  isAlive(): boolean;
  /** Last lines of stdout/stderr, for diagnostics. */
  output(): string;
  usage(): ProcUsage | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function spawnService(
  label: string,
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ChildService {
  const child: ChildProcess = spawn(
    process.execPath,
    entry.endsWith('.ts')
      ? [...nodeArgs, '--conditions=@baton/source', '--import', 'tsx', entry]
      : [...nodeArgs, '--enable-source-maps', entry],
    {
      cwd: REPO_ROOT,
      // The child's config comes only from this env (plus PATH/HOME for tooling), not from the bench's shell.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid === undefined) throw new Error(`could not spawn ${label} (${entry})`);
  const pid = child.pid;
  const lines: string[] = [];
  const keep = (b: Buffer) => {
    lines.push(...b.toString().split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let alive = true;
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      alive = false;
      res(code);
    }),
  );
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (!alive) return;
    child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    label,
    pid,
    exited,
    isAlive: () => alive,
    output: () => lines.join('\n'),
    usage: () => readProcUsage(pid),
    stop: (graceMs = 6_000) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL', 0),
  };
}
