import type { Bot } from '@baton/bot';
import { mention } from '@baton/bot';

export const REMIND_TASK = 'remind';
const MAX_MINUTES = 7 * 24 * 60;

interface Reminder {
  userId: number;
  text: string;
}

/** `/remind <minutes> <text>`: a delayed task (it survives restarts) that posts the reminder in this stream. */
export function registerRemind(bot: Bot): Bot {
  bot.command('/remind {minutes:number} {text:text}', {
    description: 'Remind you of something in a few minutes',
    examples: ['/remind 10 call the desk', '/remind 0.5 stand-up'],
    handler: async (ctx) => {
      const { minutes, text } = ctx.args;
      if (minutes <= 0 || minutes > MAX_MINUTES) {
        await ctx.reply(
          `Give a number of minutes between 0 and ${MAX_MINUTES}, e.g. /remind 10 call the desk`,
        );
        return;
      }
      const reminder: Reminder = { userId: ctx.user.userId, text };
      await ctx.schedule(Math.round(minutes * 60_000), REMIND_TASK, reminder);
      await ctx.reply(`OK, I will remind you in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
    },
  });
  bot.task(REMIND_TASK, async (ctx) => {
    const reminder = ctx.data as Reminder;
    await ctx.reply(ctx.messageML`${mention(reminder.userId)} reminder: ${reminder.text}`);
  });
  return bot;
}
