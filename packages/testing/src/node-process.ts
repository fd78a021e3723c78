import { type ChildProcess, type Serializable, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { TEST_RUN_VARIABLE, testRunId } from './test-run.ts';
import { WORKSPACE_ROOT } from './workspace-root.ts';

/** How a process ended: its exit code (null when a signal ended it) and that signal. */
export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcessOptions {
  /** A label for diagnostics, e.g. `ingester-1`. */
  name: string;
  /**
   * The script, relative to `cwd` or absolute: a TypeScript source (`.ts`) runs through tsx's loader with the
   * `@baton/source` condition, anything else (compiled JavaScript) as it is, with source maps.
   */
  entry: string;
  args?: readonly string[];
  /** Node flags before those of the entry (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** Working directory (default: the workspace root). */
  cwd?: string;
  /**
   * The child's environment: PATH, HOME and these, nothing else of this process's (unless `inheritEnv`); an
   * `undefined` value removes the variable. `BATON_TEST_RUN` (this test run's id) is always added first.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Start from this process's whole environment instead of PATH and HOME only. */
  inheritEnv?: boolean;
  /** How many output lines to keep (default 200; `Number.POSITIVE_INFINITY` keeps all, for log scans). */
  keepLines?: number;
  /** Open an IPC channel (`send`, `onMessage`). */
  ipc?: boolean;
}

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Per stream, the text kept for `stdout()` / `stderr()` (the end of it). */
const MAX_TEXT = 1_000_000;
/** After the exit, how long to wait for the pipes to deliver what the process wrote last. */
const FLUSH_MS = 2_000;
const NOT_STARTED: NodeExit = Object.freeze({ code: null, signal: null });

/**
 * Node's flags for `entry`: a TypeScript source through tsx's loader (by URL, so any working directory will do)
 * with the `@baton/source` condition; JavaScript as it is, with source maps.
 */
export function nodeFlagsFor(entry: string): string[] {
  return /\.[cm]?ts$/.test(entry)
    ? ['--conditions=@baton/source', '--import', TSX_LOADER]
    : ['--enable-source-maps'];
}

/**
 * The one child-process launcher of the tests, the bench and their support: `node` itself runs the entry, so
 * `pid` is the real process and a SIGKILL ends it (never the tsx CLI, whose wrapper would die and leave its
 * node child running). Every child carries `BATON_TEST_RUN` (the leak check finds what a run left behind by
 * it). Restartable: `start()` again after an exit; `lines` and `exits` accumulate over every incarnation.
 */
export class NodeProcess {
  /** Output lines (empty ones left out) of every incarnation, stderr ones prefixed `[stderr] `. */
  readonly lines: string[] = [];
  /** Every exit so far. */
  readonly exits: NodeExit[] = [];
  /** How many times it was started. */
  starts = 0;
  private child: ChildProcess | undefined;
  private exitWaiter: Promise<NodeExit> | undefined;
  private readonly text = { stdout: '', stderr: '' };
  private readonly messageListeners = new Set<(message: unknown) => void>();

  constructor(readonly options: NodeProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** The pid of the current (or last) incarnation. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    const c = this.child;
    return c !== undefined && c.pid !== undefined && c.exitCode === null && c.signalCode === null;
  }

  /** Starts it (again), with `extraEnv` on top of its environment; nothing when it is running. */
  start(extraEnv: Readonly<Record<string, string | undefined>> = {}): void {
    if (this.running) return;
    this.starts += 1;
    const o = this.options;
    const child = spawn(
      process.execPath,
      [...(o.nodeArgs ?? []), ...nodeFlagsFor(o.entry), o.entry, ...(o.args ?? [])],
      {
        cwd: o.cwd ?? WORKSPACE_ROOT,
        env: this.environment(extraEnv),
        stdio: o.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const drained = Promise.all([this.capture(child.stdout, 'stdout'), this.capture(child.stderr, 'stderr')]);
    child.on('message', (message) => {
      for (const listener of this.messageListeners) listener(message);
    });
    this.exitWaiter = new Promise((resolve) => {
      child.on('error', (err) => {
        if (child.pid !== undefined) return; // a failed kill or send; the exit still comes
        this.push('stderr', `could not start ${o.entry}: ${err.message}`);
        this.exits.push(NOT_STARTED);
        resolve(NOT_STARTED);
      });
      child.once('exit', (code, signal) => {
        const exit = { code, signal };
        this.exits.push(exit);
        // A grandchild that inherited the pipes can hold them open: stop waiting for them after FLUSH_MS.
        const late = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, FLUSH_MS);
        void drained.then(() => {
          clearTimeout(late);
          resolve(exit);
        });
      });
    });
  }

  /** Resolves when the current incarnation has exited and its output is read. */
  exited(): Promise<NodeExit> {
    return this.exitWaiter ?? Promise.resolve(this.exits.at(-1) ?? NOT_STARTED);
  }

  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeExit> {
    const child = this.child;
    if (!child || !this.running) return this.exited();
    const done = this.exited();
    child.kill(signal);
    return done;
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; waits for the exit. */
  async stop(graceMs = 5_000): Promise<NodeExit> {
    const child = this.child;
    if (!child || !this.running) return this.exited();
    const done = this.exited();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await done;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a message over the IPC channel (`ipc: true`). */
  send(message: Serializable): void {
    const child = this.child;
    if (!child?.send || !this.running)
      throw new Error(`${this.name}: no running process with an IPC channel`);
    child.send(message);
  }

  /** Calls `listener` with every IPC message of every incarnation; returns the unsubscribe. */
  onMessage(listener: (message: unknown) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** The kept output lines, one string. */
  output(): string {
    return this.lines.join('\n');
  }

  /** What it wrote to stdout, every incarnation (the last megabyte), as written. */
  stdout(): string {
    return this.text.stdout;
  }

  /** What it wrote to stderr, every incarnation (the last megabyte), as written. */
  stderr(): string {
    return this.text.stderr;
  }

  /** The last `n` lines under a header with its name, for failure messages. */
  tail(n = 30): string {
    return `--- ${this.name} ---\n${this.lines.slice(-n).join('\n')}`;
  }

  private environment(extra: Readonly<Record<string, string | undefined>>): Record<string, string> {
    const base = this.options.inheritEnv ? process.env : { PATH: process.env.PATH, HOME: process.env.HOME };
    const merged = { ...base, [TEST_RUN_VARIABLE]: testRunId(), ...this.options.env, ...extra };
    return Object.fromEntries(
      Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
    );
  }

  private capture(stream: Readable | null, which: 'stdout' | 'stderr'): Promise<void> {
    if (!stream) return Promise.resolve();
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const text = this.text[which] + chunk;
      this.text[which] = text.length > 2 * MAX_TEXT ? text.slice(-MAX_TEXT) : text;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.push(which, line);
    });
    return new Promise((resolve) =>
      stream.once('close', () => {
        if (partial) this.push(which, partial);
        partial = '';
        resolve();
      }),
    );
  }

  private push(which: 'stdout' | 'stderr', line: string): void {
    if (line.length === 0) return;
    this.lines.push(which === 'stderr' ? `[stderr] ${line}` : line);
    const max = this.options.keepLines ?? 200;
    if (this.lines.length > max) this.lines.splice(0, this.lines.length - max);
  }
}
