import type { Middleware } from './context.ts';

export interface LogDispatchOptions {
  /** Level of the per-dispatch line. Default `info`. */
  level?: 'debug' | 'info';
}

/**
 * Logging middleware: one line per dispatch (kind, command, user, duration, outcome) on `ctx.log`, which
 * already carries `{ streamId, eventKey }`. Failures are logged and re-thrown (the runtime retries).
 */
export function logDispatch(opts: LogDispatchOptions = {}): Middleware {
  const level = opts.level ?? 'info';
  return async (ctx, next) => {
    const started = performance.now();
    const fields = {
      kind: ctx.kind,
      ...(ctx.command !== undefined ? { command: ctx.command } : {}),
      ...(ctx.user !== undefined ? { userId: ctx.user.userId } : {}),
    };
    try {
      await next();
      ctx.log[level]({ ...fields, ms: Math.round(performance.now() - started) }, 'dispatched');
    } catch (err) {
      ctx.log.warn({ ...fields, ms: Math.round(performance.now() - started), err }, 'dispatch failed');
      throw err;
    }
  };
}
