import type { Bot } from '@baton/bot';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `/ping`: latency from the message's timestamp to now, and the mailbox backlog when the runtime can tell. The
 * /ping being handled is itself still in its mailbox (it is acknowledged after its handler), so it is not counted:
 * the backlog shown is what waits besides it. Which stream it sits in is not known, so no stream count is shown.
 */
export function registerPing(bot: Bot, now: () => number = Date.now): Bot {
  return bot.command('/ping', {
    description: 'Check that I am alive: latency and current backlog',
    examples: ['/ping'],
    handler: async (ctx) => {
      const latency = Math.max(0, now() - ctx.event.timestamp);
      const backlog = ctx.services.backlog ? await ctx.services.backlog() : undefined;
      const others = backlog === undefined ? 0 : Math.max(0, backlog.pending - 1);
      const queue =
        backlog === undefined
          ? 'backlog: unknown'
          : others === 0
            ? 'backlog: empty'
            : `backlog: ${others} other event(s) waiting` +
              (backlog.oldestAgeMs === null ? '' : `, the oldest for ${formatMs(backlog.oldestAgeMs)}`);
      await ctx.reply(`pong: ${formatMs(latency)} from your message to my reply; ${queue}`);
    },
  });
}
