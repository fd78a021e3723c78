import { renderHelp } from './help.js';
/** Registers the generated `/help [topic]` (replaced by a bot's own `/help`, if it registers one). */
export function registerHelpCommand(registry, botName) {
  const entries = () =>
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
      await ctx.reply(renderHelp(entries(), ctx.args['topic'], botName(ctx)));
    },
    allow: undefined,
    hidden: false,
    builtIn: true,
  });
}
//# sourceMappingURL=help-command.js.map
