import type { BotRegistry } from './bot-registry.ts';
import type { BaseContext } from './context.ts';
import { type HelpEntry, renderHelp } from './help.ts';
import type { CommandPattern, PatternArg } from './parse-command-pattern.ts';

const SIGILS: Partial<Record<PatternArg['type'], string>> = { mention: '@', hashtag: '#', cashtag: '$' };

/**
 * How /help writes a command: its words and argument names, without the pattern's type annotations
 * (`/remind <minutes> <text>`, `/room create <name> [@members…]`). A usage error still names the expected type.
 */
export function helpUsage(pattern: CommandPattern): string {
  const arg = (a: PatternArg): string => {
    const body = `${SIGILS[a.type] ?? ''}${a.name}${a.rest ? '…' : ''}${a.defaultValue !== undefined ? `=${a.defaultValue}` : ''}`;
    return a.required ? `<${body}>` : `[${body}]`;
  };
  return [pattern.name, ...pattern.args.map(arg)].join(' ');
}

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
        usage: helpUsage(c.pattern),
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
