import type { BotRegistry } from './bot-registry.ts';
import type { BaseContext } from './context.ts';
import { type HelpEntry, renderHelp } from './help.ts';

/** Registers the generated `/help [topic]` (replaced by a bot's own `/help`, if it registers one). */
export function registerHelpCommand(
  registry: BotRegistry,
  botName: (ctx: Pick<BaseContext, 'botUser'>) => string,
): void {
  const entries = (): HelpEntry[] =>
    registry.commands
      .all()
      .filter((c) => !c.spec.hidden)
      .map((c) => ({
        name: c.pattern.name,
        usage: c.pattern.usage,
        description: c.spec.description,
        examples: c.spec.examples,
      }));
  registry.addCommand('/help [topic:text]', {
    description: 'List the commands, or explain one (/help room create)',
    examples: ['/help', '/help echo'],
    handler: async (ctx) => {
      await ctx.reply(renderHelp(entries(), ctx.args['topic'] as string | undefined, botName(ctx)));
    },
    allow: undefined,
    hidden: false,
    builtIn: true,
  });
}
