import type { Bot, CommandContext } from '@baton/bot';

const codeOf = (err: unknown): unknown =>
  err instanceof Error ? (err as { code?: unknown }).code : undefined;

/**
 * `/announce <room> <text>`: posts `text` in one of the requester's rooms **as the requester**, on behalf of them
 * through the on-behalf-of app (`ctx.obo`): the room is found among their own rooms by name (case-insensitive),
 * and the message is theirs, not the bot's. Without an app configured, or for a user who has not installed it,
 * the bot says so.
 */
export function registerAnnounce(bot: Bot): Bot {
  return bot.command('/announce {room:string} {text:text}', {
    description: 'Post a message as you in one of your rooms (needs the on-behalf-of app)',
    examples: ['/announce "Q3 desk" Numbers are out', '/announce general Standup in 5 minutes'],
    handler: async (ctx: CommandContext<{ room: string; text: string }>) => {
      const wanted = ctx.args.room.trim().toLowerCase();
      try {
        const me = ctx.obo(ctx.user);
        const rooms = await me.listStreams({ streamTypes: ['ROOM'] });
        const room = rooms.find((r) => r.roomAttributes?.name?.trim().toLowerCase() === wanted);
        if (!room) {
          await ctx.reply(`You are not in a room named "${ctx.args.room}".`);
          return;
        }
        await me.send(room.id, ctx.args.text);
        await ctx.reply(`Posted in "${room.roomAttributes?.name ?? ctx.args.room}" as you.`);
      } catch (err) {
        const code = codeOf(err);
        if (code === 'OBO_NOT_CONFIGURED') {
          await ctx.reply('Announcements are off: this bot has no on-behalf-of app configured.');
          return;
        }
        if (code === 'SYMPHONY_OBO_USER_REJECTED') {
          await ctx.reply('I cannot post for you: install the announcements app first.');
          return;
        }
        throw err;
      }
    },
  });
}
