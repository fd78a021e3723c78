import type { Bot } from '@baton/bot';

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `/ping`: latency from the message's timestamp to now, and the mailbox backlog when the runtime can tell. */
export function registerPing(bot: Bot, now: () => number = Date.now): Bot {
  return bot.command('/ping', {
    description: 'Check that I am alive: latency and current backlog',
    examples: ['/ping'],
    handler: async (ctx) => {
      const latency = Math.max(0, now() - ctx.event.timestamp);
      const backlog = ctx.services.backlog ? await ctx.services.backlog() : undefined;
      const queue =
        backlog === undefined
          ? 'backlog: unknown'
          : backlog.pending === 0
            ? 'backlog: empty'
            : `backlog: ${backlog.pending} event(s) in ${backlog.streams} stream(s)` +
              (backlog.oldestAgeMs === null ? '' : `, oldest ${formatMs(backlog.oldestAgeMs)}`);
      await ctx.reply(`pong: ${formatMs(latency)} from your message to my reply; ${queue}`);
    },
  });
}
