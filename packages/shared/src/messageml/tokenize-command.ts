import type { Token } from './token.ts';

export interface CommandInput {
  /** The message mentions the bot anywhere. */
  readonly mentionsBot: boolean;
  /** Present when the first token that is not a mention is a word starting with `/`. */
  readonly command?: {
    /** The slash word without the `/`, as typed (e.g. `room`). */
    readonly slash: string;
    /** The tokens after the slash word. */
    readonly args: readonly Token[];
  };
}

/**
 * Finds the slash command in a message's tokens. Mentions before the slash word (the bot's, or anyone's) are
 * skipped: `@Bot /room create "Q3 desk" @alice` gives slash `room` and args [create, "Q3 desk", @alice].
 */
export function parseCommandInput(tokens: readonly Token[], botUserId: number): CommandInput {
  const mentionsBot = tokens.some((token) => token.kind === 'mention' && token.userId === botUserId);
  const start = tokens.findIndex((token) => token.kind !== 'mention');
  const first = start === -1 ? undefined : tokens[start];
  if (first?.kind !== 'word' || !first.text.startsWith('/') || first.text.length < 2) return { mentionsBot };
  return { mentionsBot, command: { slash: first.text.slice(1), args: tokens.slice(start + 1) } };
}
