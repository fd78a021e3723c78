import type { DispatchKind, Middleware } from './context.ts';

export interface RateLimitOptions {
  /** Allowed dispatches per user per window. */
  limit: number;
  /** Window length in seconds (fixed windows). */
  windowSec: number;
  /** Which dispatches count. Default: commands, usage errors and unknown commands. */
  kinds?: DispatchKind[];
  /** Told once per window when the user goes over the limit. */
  message?: string;
}

/**
 * Per-user rate limit on the shared `StateStore`, so the limit holds across every worker replica. Over the
 * limit the dispatch is dropped; the user is told once per window.
 */
export function rateLimitPerUser(opts: RateLimitOptions): Middleware {
  const kinds = new Set<DispatchKind>(opts.kinds ?? ['command', 'usage-error', 'unknown-command']);
  const message = opts.message ?? 'You are sending commands too fast; please wait a moment.';
  return async (ctx, next) => {
    if (!kinds.has(ctx.kind) || ctx.user === undefined) return next();
    const windowMs = opts.windowSec * 1000;
    const window = Math.floor(Date.now() / windowMs);
    // Counted once per event: a retried event is not charged twice.
    const { value: count } = await ctx.state.incrementFieldOnce(
      `ratelimit:${ctx.user.userId}:${window}`,
      'count',
      ctx.eventKey,
      1,
      opts.windowSec * 2,
    );
    if (count <= opts.limit) return next();
    ctx.log.info({ userId: ctx.user.userId, count }, 'rate limited');
    if (count === opts.limit + 1) await ctx.reply(message);
  };
}
