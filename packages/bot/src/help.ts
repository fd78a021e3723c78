import { code, type Fragment, list, messageML } from '@baton/shared/messageml';
import type { ArgProblem } from './match-command.ts';

/** One command as /help shows it. */
export interface HelpEntry {
  name: string;
  usage: string;
  description: string;
  examples: string[];
}

function examplesOf(examples: string[]): Fragment {
  if (examples.length === 0) return messageML``;
  return messageML`<br/>Examples: ${examples.map((e, i) => (i === 0 ? code(e) : [', ', code(e)]))}`;
}

/** `/help` (all commands) or `/help <topic>` (the commands whose name starts with the topic). */
export function renderHelp(entries: HelpEntry[], topic: string | undefined, botName: string): Fragment {
  const wanted = topic?.trim().replace(/^\//, '').toLowerCase();
  if (wanted) {
    const matches = entries.filter((e) => e.name.slice(1).toLowerCase().startsWith(wanted));
    if (matches.length === 0) {
      return messageML`I have no command called ${code(`/${wanted}`)}. Try ${code('/help')} for the full list.`;
    }
    return list(matches.map((e) => messageML`${code(e.usage)}: ${e.description}${examplesOf(e.examples)}`));
  }
  return messageML`<b>${botName} commands</b>${list(entries.map((e) => messageML`${code(e.usage)}: ${e.description}`))}In a room, mention me first (${code(`@${botName} /help`)}). ${code('/help <command>')} shows examples.`;
}

/** The reply to a command whose arguments do not fit: what is wrong, the usage, the examples. */
export function renderUsageError(problem: ArgProblem, usage: string, examples: string[]): Fragment {
  const what =
    problem.kind === 'missing'
      ? messageML`Missing ${problem.arg.name}.`
      : problem.kind === 'invalid'
        ? problem.arg.type === 'mention' && /^@\S/.test(problem.given)
          ? // "@nobody" typed as text: no user of that name (a client turns a known user into a mention).
            messageML`I don't know a user ${code(problem.given)} (for ${problem.arg.name}): mention someone on this pod.`
          : messageML`${code(problem.given)} is not ${problem.expected} (for ${problem.arg.name}).`
        : messageML`Unexpected ${code(problem.given)}.`;
  return messageML`${what} Usage: ${code(usage)}${examplesOf(examples)}`;
}

/** The reply to an unknown command (or to a message addressed to the bot that is no command). */
export function renderUnknownCommand(
  slash: string | undefined,
  suggestions: string[],
  botName: string,
): Fragment {
  const hint = messageML`Try ${code('/help')} to see what ${botName} can do.`;
  if (slash === undefined) return messageML`Hi! ${hint}`;
  const close =
    suggestions.length > 0
      ? messageML` Did you mean ${suggestions.map((s, i) => (i === 0 ? code(s) : [' or ', code(s)]))}?`
      : messageML``;
  return messageML`I don't know ${code(slash)}.${close} ${hint}`;
}
