import { guardStdio } from './guard-stdio.ts';
import { watchParent } from './watch-parent.ts';

/** What a service's factory returns: `stop` ends its work and closes what it opened. */
export interface StoppableService {
  stop(): Promise<void> | void;
}

/** The logger calls `runService` makes (pino's `Logger` fits, and so does a console adapter). */
export interface ServiceLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Exit code of a clean stop. */
export const EXIT_OK = 0;
/** Exit code of a failed start, a failed stop or a stop that overran the shutdown timeout. */
export const EXIT_FAILED = 1;

/** The signals that stop a service: Ctrl-C, `kill` / docker / Kubernetes, and a closed terminal. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface RunServiceOptions {
  /** Names the process in its log lines (`ingester`, `dashboard` …). */
  name: string;
  logger: ServiceLogger;
  /** From the first stop signal: how long `stop()` may take before the process exits anyway (code 1). */
  shutdownTimeoutMs: number;
  /**
   * A start failure: log it and return the exit code (default: logged as `failed to start`, exit 1). The worker
   * maps a bot conflict to exit 2, as for invalid configuration.
   */
  onStartError?: (err: unknown) => number;
  /** Test hooks. */
  process?: NodeJS.Process;
  exit?: (code: number) => void;
}

/**
 * The one shutdown path of Baton's process entries (main.ts): starts the service, then on SIGINT, SIGTERM or
 * SIGHUP, or when its `baton dev` orchestrator dies (`watchParent`), stops it once and exits: 0 after a clean
 * stop, 1 when `stop()` throws or overruns `shutdownTimeoutMs`, whose timer is armed at the first stop request,
 * before anything else runs (a start still under way included). Further signals during the shutdown are
 * ignored (pnpm and tsx relay a terminal's Ctrl-C a second time); the timer bounds the wait. A stop requested
 * while the service is still starting runs as soon as `start` resolves. Writes to a stdout or stderr whose reader
 * is gone are dropped (`guardStdio`), so an orphaned service still stops on SIGTERM.
 *
 * Resolves the started service (tests); the process exits through `exit` (default `process.exit`).
 */
export async function runService(
  start: () => Promise<StoppableService>,
  options: RunServiceOptions,
): Promise<StoppableService | undefined> {
  const proc = options.process ?? process;
  const exit = options.exit ?? ((code: number) => proc.exit(code));
  const { logger, name, shutdownTimeoutMs } = options;
  let service: StoppableService | undefined;
  let stopRequested: string | undefined;
  let stopping = false;
  let force: NodeJS.Timeout | undefined;

  guardStdio(proc);

  const shutdown = async (reason: string): Promise<void> => {
    if (stopping || service === undefined) return;
    stopping = true;
    let code = EXIT_OK;
    try {
      logger.info({ reason }, `${name} stopping`);
      await service.stop();
      logger.info({}, `${name} stopped`);
    } catch (err) {
      code = EXIT_FAILED;
      try {
        logger.error({ err }, `${name} failed to stop cleanly`);
      } catch {
        // nothing left to report to
      }
    }
    clearTimeout(force);
    exit(code);
  };

  const requestStop = (reason: string): void => {
    if (stopRequested !== undefined) return;
    stopRequested = reason;
    // Armed first, before the service is even started: whatever start(), stop() or the logger do, the process
    // exits within the timeout. Ref'd on purpose (the process cannot end before it fires or exit() runs).
    force = setTimeout(() => {
      try {
        logger.error(
          { timeoutMs: shutdownTimeoutMs, reason },
          `${name} did not stop within the shutdown timeout: exiting`,
        );
      } catch {
        // nothing left to report to
      }
      exit(EXIT_FAILED);
    }, shutdownTimeoutMs);
    void shutdown(reason);
  };
  for (const signal of STOP_SIGNALS) proc.on(signal, () => requestStop(signal));
  watchParent(() => requestStop('parent gone: its baton dev exited'), proc);

  try {
    service = await start();
  } catch (err) {
    let code = EXIT_FAILED;
    if (options.onStartError) code = options.onStartError(err);
    else logger.error({ err }, `${name} failed to start`);
    clearTimeout(force);
    exit(code);
    return undefined;
  }
  if (stopRequested !== undefined) void shutdown(stopRequested);
  return service;
}
