import { createBot, defineBot } from '@baton/bot';
import { loadConfig } from './config.ts';

/**
 * The bot module. `baton dev` and `baton worker` import it and call its default export once at start, with
 * the process environment and a logger; a config error stops the start with a message naming the variable.
 */
export default defineBot(({ env, logger }) => {
  const config = loadConfig(env);
  logger.info({ greeting: config.GREETING }, 'bot configured');

  return (
    // `id` names the bot in worker heartbeats and on the dashboard: a worker refuses to share a queue prefix
    // with workers of another bot id.
    createBot({ id: '{{name}}' })
      // `@bot /hello` or `@bot /hello Ada` (in an IM with the bot, the mention is optional).
      // `[name:text]` is optional: the rest of the line, typed as `string | undefined` in `ctx.args`.
      .command('/hello [name:text]', {
        description: 'Say hello',
        examples: ['/hello', '/hello Ada'],
        handler: async (ctx) => {
          const name = ctx.args.name ?? ctx.user.displayName ?? 'there';
          // A plain string is always escaped: whatever the user typed is shown as text, never as markup.
          await ctx.reply(`${config.GREETING}, ${name}!`);
        },
      })
      // Listeners get any Symphony event, typed. Here: someone joined a room the bot is in.
      .on('USERJOINEDROOM', async (ctx) => {
        const { userId } = ctx.event.payload.userJoinedRoom.affectedUser;
        if (userId === ctx.botUser.userId) return; // the bot itself was added
        // `ctx.messageML` builds trusted markup: the tagged template escapes what it interpolates.
        const { mention, code } = ctx.messageML;
        await ctx.reply(ctx.messageML`Welcome ${mention(userId)}! Say ${code('/hello')} to me.`);
      })
  );
});
