import { isAllowed, toAllowList } from './allow-list.ts';
import type { DispatchKind, Middleware } from './context.ts';

export interface AllowOnlyOptions {
  /** Users allowed (omit = any user). */
  users?: number[];
  /** Streams allowed (omit = any stream). */
  streams?: string[];
  /** Restrict only these commands (e.g. `['/room create']`); omit = every command. */
  commands?: string[];
  /** Which dispatches are restricted. Default: commands, usage errors and unknown commands. */
  kinds?: DispatchKind[];
  /** Reply to a refused user; `false` = refuse silently. */
  message?: string | false;
}

/** Authorization middleware: restricts commands (by default) to some users and/or streams. */
export function allowOnly(opts: AllowOnlyOptions): Middleware {
  const kinds = new Set<DispatchKind>(opts.kinds ?? ['command', 'usage-error', 'unknown-command']);
  const allow = toAllowList(opts);
  const commands = opts.commands ? new Set(opts.commands.map((c) => c.toLowerCase())) : undefined;
  const message = opts.message ?? 'Sorry, you are not allowed to do that here.';
  return async (ctx, next) => {
    if (!kinds.has(ctx.kind)) return next();
    if (commands && (ctx.command === undefined || !commands.has(ctx.command))) return next();
    if (isAllowed(allow, ctx.user?.userId, ctx.streamId)) return next();
    ctx.log.info({ userId: ctx.user?.userId, command: ctx.command }, 'refused by allowOnly');
    if (message !== false) await ctx.reply(message);
  };
}
