import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG_ERROR_EXIT_CODE } from '@baton/shared';
import { formatLogLine } from './format-log-line.ts';
import type { StackOutput } from './stack-output.ts';

/** One process of the stack. */
export interface ProcessSpec {
  /** Short name, also the log prefix: `worker-1`. */
  name: string;
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** `pino`: its lines are pino JSON records (pretty-printed unless logFormat is json); `raw`: shown as they are. */
  logs: 'pino' | 'raw';
  /**
   * A Node process: give it an IPC channel, whose close tells it that the orchestrator died (`watchParent` of
   * @baton/shared), however it died.
   */
  ipc?: boolean;
}

export interface SupervisorConfig {
  /** What an unexpected exit leads to: a restart with a back-off, or `onFatal` (the stack stops, exit 1). */
  onCrash: 'restart' | 'exit';
  /** Unexpected exits of one process within a minute after which `onFatal` is called instead of restarting. */
  maxRestarts: number;
  logFormat: 'pretty' | 'json';
}

export interface SupervisorDeps {
  output: StackOutput;
  /** Called once a process crashed for good (policy `exit`, or too many restarts). */
  onFatal(reason: string): void;
  /** A process (its own group) was spawned / has exited: the stack's guard and record follow these. */
  onSpawn?(name: string, pid: number): void;
  onExit?(name: string, pid: number): void;
  now?: () => number;
}

export interface ManagedProcess {
  readonly name: string;
  /** PID of the current incarnation (undefined while down). */
  pid(): number | undefined;
  /** Unexpected exits so far. */
  crashes(): number;
  /** SIGTERM, then SIGKILL (to its whole process group) after `timeoutMs`; no restart afterwards. */
  stop(timeoutMs: number): Promise<void>;
  /**
   * Stops the process as `stop` does, then starts it again (a reload, not a crash: the crash count is kept, the
   * crash window is cleared). If that new incarnation refuses its configuration (exit 2: a bad edit of the bot),
   * the stack does not stop: the process stays down until the next `restart`. No effect once `stop` was called.
   */
  restart(timeoutMs: number): Promise<void>;
  /** Down after a configuration error following a `restart`, waiting for the next one. */
  waiting(): boolean;
}

export interface ProcessSupervisor {
  start(spec: ProcessSpec): ManagedProcess;
  /** Every PID any managed process has had (for "nothing left behind" checks). */
  allPids(): number[];
  /** Stops the groups one after the other (each group in parallel). */
  stopAll(groups: readonly (readonly ManagedProcess[])[], timeoutMs: number): Promise<void>;
}

const CRASH_WINDOW_MS = 60_000;
const MAX_BACKOFF_MS = 15_000;

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Children run in their own process group (detached), so -pid reaches anything they spawned too.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Runs the stack's processes: spawns each in its own process group (a terminal Ctrl-C reaches only the
 * orchestrator, which then stops them in order), streams their output line by line with a prefix, restarts a
 * process that died unexpectedly after a back-off (1 s, 2 s, 4 s ... 15 s), and gives up (onFatal) after
 * `maxRestarts` crashes within a minute or at the first crash with policy `exit`. `restart()` reloads a process
 * on purpose (`baton dev` reloading the workers when the bot changes).
 */
export function createProcessSupervisor(config: SupervisorConfig, deps: SupervisorDeps): ProcessSupervisor {
  const now = deps.now ?? Date.now;
  const { output } = deps;
  const pids = new Set<number>();

  function pipeLines(name: string, spec: ProcessSpec, child: ChildProcess): void {
    const pretty = spec.logs === 'pino' && config.logFormat === 'pretty';
    for (const [stream, stderr] of [
      [child.stdout, false],
      [child.stderr, true],
    ] as const) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        if (line.trim() === '') return;
        const formatted = pretty ? formatLogLine(line) : { text: line };
        output.process(name, formatted.text, {
          ...(formatted.level !== undefined ? { level: formatted.level } : {}),
          stderr,
        });
      });
    }
  }

  function start(spec: ProcessSpec): ManagedProcess {
    let child: ChildProcess | undefined;
    /** Whether an exit now is unexpected (false while stopping or restarting on purpose). */
    let wanted = true;
    /** `stop()` was called: never spawn again. */
    let stopped = false;
    /** The current incarnation was started by `restart()`: a configuration error waits for the next one. */
    let reloaded = false;
    let parked = false;
    let crashCount = 0;
    const recentCrashes: number[] = [];
    let restartTimer: NodeJS.Timeout | undefined;
    let exited: Promise<void> = Promise.resolve();
    let restarting: Promise<void> = Promise.resolve();

    const spawnOnce = (): void => {
      parked = false;
      const c = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: spec.env as NodeJS.ProcessEnv,
        stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child = c;
      const pid = c.pid;
      if (pid !== undefined) {
        pids.add(pid);
        deps.onSpawn?.(spec.name, pid);
      }
      // Nothing is sent over the channel: it exists for its close (see ProcessSpec.ipc).
      c.on('error', () => undefined);
      pipeLines(spec.name, spec, c);
      let settled = false;
      exited = new Promise<void>((resolve) => {
        const onGone = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
          if (settled) return;
          settled = true;
          resolve();
          if (pid !== undefined) deps.onExit?.(spec.name, pid);
          if (child === c) child = undefined;
          if (!wanted) return;
          if (code === CONFIG_ERROR_EXIT_CODE) {
            if (reloaded) {
              // A bad edit of the bot: keep the stack, wait for the next change.
              parked = true;
              output.error(
                `!!! ${spec.name} refused its configuration (exit 2): fix the error above; the next change reloads it`,
              );
              return;
            }
            // Exit 2 is a configuration error (loadConfigOrExit): restarting cannot fix it.
            output.error(`!!! ${spec.name} refused its configuration (exit 2): stopping the stack`);
            deps.onFatal(`${spec.name} has an invalid configuration`);
            return;
          }
          crashed(error ? `could not start: ${error.message}` : `exited (${signal ?? `code ${code}`})`);
        };
        c.once('exit', (code, signal) => onGone(code, signal));
        c.once('error', (err) => onGone(null, null, err));
      });
    };

    const crashed = (how: string): void => {
      crashCount++;
      const t = now();
      recentCrashes.push(t);
      while ((recentCrashes[0] ?? t) < t - CRASH_WINDOW_MS) recentCrashes.shift();
      if (config.onCrash === 'exit') {
        output.error(`!!! ${spec.name} ${how} unexpectedly; START_ON_CRASH=exit: stopping the stack`);
        deps.onFatal(`${spec.name} ${how}`);
        return;
      }
      if (recentCrashes.length > config.maxRestarts) {
        output.error(
          `!!! ${spec.name} ${how}: ${recentCrashes.length} crashes within a minute, giving up: stopping the stack`,
        );
        deps.onFatal(`${spec.name} crashed ${recentCrashes.length} times within a minute`);
        return;
      }
      const delay = Math.min(1_000 * 2 ** (recentCrashes.length - 1), MAX_BACKOFF_MS);
      output.error(`!!! ${spec.name} ${how} unexpectedly; restarting it in ${delay / 1000} s`);
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (wanted) spawnOnce();
      }, delay);
    };

    /** SIGTERM the current incarnation (if any), SIGKILL its group after `timeoutMs`, and wait for it. */
    const terminate = async (timeoutMs: number): Promise<void> => {
      wanted = false;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      const c = child;
      if (!c || !alive(c)) return;
      c.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(timeoutMs, true, { ref: false })]);
      if (timedOut) {
        output.warn(`${spec.name} did not exit within ${timeoutMs} ms of SIGTERM: SIGKILL`);
      }
      // Whatever it left in its process group goes too.
      signalGroup(c, 'SIGKILL');
      await Promise.race([exited, sleep(3_000, undefined, { ref: false })]);
    };

    spawnOnce();

    return {
      name: spec.name,
      pid: () => child?.pid,
      crashes: () => crashCount,
      waiting: () => parked && !stopped,
      async stop(timeoutMs) {
        stopped = true;
        await terminate(timeoutMs);
      },
      restart(timeoutMs) {
        // One restart at a time: a second one waits for the first, then restarts again.
        restarting = restarting.then(async () => {
          if (stopped) return;
          await terminate(timeoutMs);
          if (stopped) return;
          wanted = true;
          reloaded = true;
          recentCrashes.length = 0;
          spawnOnce();
        });
        return restarting;
      },
    };
  }

  return {
    start,
    allPids: () => [...pids],
    async stopAll(groups, timeoutMs) {
      for (const group of groups) await Promise.all(group.map((p) => p.stop(timeoutMs)));
    },
  };
}
