import type { Bot } from '@baton/bot';

/** `/echo <text>`: repeats the text (escaped: whatever the user typed comes back as text, never markup). */
export function registerEcho(bot: Bot): Bot {
  return bot.command('/echo {text:text}', {
    description: 'Repeat what you say',
    examples: ['/echo hello world'],
    handler: async (ctx) => {
      await ctx.reply(ctx.args.text);
    },
  });
}
