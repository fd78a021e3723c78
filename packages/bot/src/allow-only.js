import { isAllowed, toAllowList } from './allow-list.js';
/** Authorization middleware: restricts commands (by default) to some users and/or streams. */
export function allowOnly(opts) {
  const kinds = new Set(opts.kinds ?? ['command', 'usage-error', 'unknown-command']);
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
//# sourceMappingURL=allow-only.js.map
