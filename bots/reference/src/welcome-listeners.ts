import type { Bot } from '@baton/bot';
import { code, mention } from '@baton/bot';

/** Welcomes people joining a room, and greets a user who opens an IM with the bot. */
export function registerWelcome(bot: Bot): Bot {
  bot.on('USERJOINEDROOM', async (ctx) => {
    const joined = ctx.event.payload.userJoinedRoom.affectedUser;
    if (joined.userId === ctx.botUser.userId) {
      await ctx.reply(ctx.messageML`Hello everyone! Mention me with ${code('/help')} to see what I can do.`);
      return;
    }
    await ctx.reply(
      ctx.messageML`Welcome ${mention(joined.userId)}! Mention me with ${code('/help')} to see what I can do.`,
    );
  });
  bot.on('INSTANTMESSAGECREATED', async (ctx) => {
    const name = ctx.user?.displayName?.split(' ')[0];
    await ctx.reply(
      ctx.messageML`Hi${name ? ` ${name}` : ''}! I'm ${ctx.botUser.displayName ?? ctx.botUser.username}. Type ${code('/help')} to see what I can do.`,
    );
  });
  return bot;
}
