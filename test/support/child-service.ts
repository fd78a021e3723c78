import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** Repository root (test/support/../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export const SERVICE_ENTRIES = {
  ingester: 'services/ingester/src/main.ts',
  worker: 'services/worker/src/main.ts',
  dlq: 'services/worker/src/cli/dlq.ts',
} as const;

export interface ChildServiceOptions {
  /** A label for diagnostics, e.g. `ingester-1`. */
  name: string;
  /** Script path relative to the repository root. */
  entry: string;
  /** The service's whole environment (PATH and HOME are added; nothing else leaks from the test process). */
  env: Record<string, string>;
  /** Keep every output line (for log scans); otherwise only the last `tailLines`. */
  keepAll?: boolean;
  tailLines?: number;
  args?: string[];
}

/**
 * One service process (`node --import tsx <entry>`), restartable, with its stdout/stderr captured line by line.
 * `lines` accumulates over restarts so a log scan sees every incarnation.
 */
export class ChildService {
  private child: ChildProcess | undefined;
  private exitWaiter: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  readonly lines: string[] = [];
  /** Every exit so far: code (null when killed by a signal) and signal. */
  readonly exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
  starts = 0;

  constructor(readonly opts: ChildServiceOptions) {}

  get name(): string {
    return this.opts.name;
  }

  start(extraEnv: Record<string, string> = {}): void {
    if (this.running) return;
    this.starts += 1;
    const child = spawn(
      process.execPath,
      ['--conditions=@baton/source', '--import', 'tsx', this.opts.entry, ...(this.opts.args ?? [])],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.opts.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keep = (stream: 'out' | 'err') => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) if (line.length > 0) this.push(stream, line);
      };
    };
    child.stdout?.on('data', keep('out'));
    child.stderr?.on('data', keep('err'));
    this.exitWaiter = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exits.push({ code, signal });
        res({ code, signal });
      });
    });
    this.child = child;
  }

  private push(stream: 'out' | 'err', line: string): void {
    this.lines.push(stream === 'err' ? `[stderr] ${line}` : line);
    const max = this.opts.tailLines ?? 200;
    if (!this.opts.keepAll && this.lines.length > max) this.lines.splice(0, this.lines.length - max);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current incarnation exits. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exitWaiter ?? Promise.resolve({ code: null, signal: null });
  }

  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  async kill(
    signal: NodeJS.Signals = 'SIGKILL',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.running) return this.exits.at(-1) ?? { code: null, signal: null };
    const done = this.exited();
    child.kill(signal);
    return done;
  }

  /** The last `n` captured lines, for failure messages. */
  tail(n = 30): string {
    return `--- ${this.name} ---\n${this.lines.slice(-n).join('\n')}`;
  }
}

/** Polls `cond` until true; throws with `what` (and `diag()`) after `timeoutMs`. */
export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  diag?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${diag ? `\n${diag()}` : ''}`);
    await sleep(100);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
