import { CommandPatternError } from './errors.ts';
import type { ArgType } from './pattern-types.ts';

/** One argument slot of a command pattern. */
export interface PatternArg {
  name: string;
  type: ArgType;
  /** `{…}` (true) or `[…]` (false). */
  required: boolean;
  /** `...`: takes every remaining token (an array). */
  rest: boolean;
  /** Raw default of `[name:type=default]`. */
  defaultValue?: string;
}

/** A parsed command pattern such as `/room create {name:string} [members:mention...]`. */
export interface CommandPattern {
  source: string;
  /** Lower-cased literal words, the first one being the slash word (`['/room', 'create']`). */
  literals: string[];
  /** `literals.join(' ')`. */
  name: string;
  args: PatternArg[];
  /** Human usage line, e.g. `/room create <name> [@members…]`. */
  usage: string;
}

const ARG_TYPES: readonly ArgType[] = ['string', 'number', 'int', 'mention', 'hashtag', 'cashtag', 'text'];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LITERAL_RE = /^[^\s{}[\]]+$/;

function parseArg(pattern: string, word: string): PatternArg {
  const required = word.startsWith('{');
  const close = required ? '}' : ']';
  if (!word.endsWith(close)) throw new CommandPatternError(pattern, `unbalanced brackets in "${word}"`);
  let inner = word.slice(1, -1);
  const rest = inner.endsWith('...');
  if (rest) inner = inner.slice(0, -3);
  let defaultValue: string | undefined;
  const eq = inner.indexOf('=');
  if (eq >= 0) {
    defaultValue = inner.slice(eq + 1);
    inner = inner.slice(0, eq);
    if (required)
      throw new CommandPatternError(pattern, `"${word}": only optional [arguments] can have a default`);
    if (rest) throw new CommandPatternError(pattern, `"${word}": a rest argument cannot have a default`);
  }
  let name: string;
  let type: string;
  const sigil = inner[0];
  if (sigil === '@' || sigil === '#' || sigil === '$') {
    name = inner.slice(1);
    type = sigil === '@' ? 'mention' : sigil === '#' ? 'hashtag' : 'cashtag';
  } else {
    const colon = inner.indexOf(':');
    name = colon >= 0 ? inner.slice(0, colon) : inner;
    type = colon >= 0 ? inner.slice(colon + 1) : 'string';
  }
  if (!NAME_RE.test(name))
    throw new CommandPatternError(pattern, `"${word}": argument name must be an identifier`);
  if (!(ARG_TYPES as readonly string[]).includes(type)) {
    throw new CommandPatternError(
      pattern,
      `"${word}": unknown type "${type}" (use one of ${ARG_TYPES.join(', ')})`,
    );
  }
  const argType = type as ArgType;
  if (defaultValue !== undefined) {
    if (defaultValue === '') throw new CommandPatternError(pattern, `"${word}": empty default`);
    if (argType === 'mention')
      throw new CommandPatternError(pattern, `"${word}": a mention cannot have a default`);
    if ((argType === 'number' || argType === 'int') && !Number.isFinite(Number(defaultValue))) {
      throw new CommandPatternError(pattern, `"${word}": default "${defaultValue}" is not a number`);
    }
    if (argType === 'int' && !Number.isInteger(Number(defaultValue))) {
      throw new CommandPatternError(pattern, `"${word}": default "${defaultValue}" is not an integer`);
    }
  }
  const arg: PatternArg = { name, type: argType, required, rest };
  if (defaultValue !== undefined) arg.defaultValue = defaultValue;
  return arg;
}

function usageOf(arg: PatternArg): string {
  const label =
    arg.type === 'mention'
      ? `@${arg.name}`
      : arg.type === 'hashtag'
        ? `#${arg.name}`
        : arg.type === 'cashtag'
          ? `$${arg.name}`
          : arg.type === 'text' || arg.type === 'string'
            ? arg.name
            : `${arg.name}:${arg.type}`;
  const body = `${label}${arg.rest ? '…' : ''}${arg.defaultValue !== undefined ? `=${arg.defaultValue}` : ''}`;
  return arg.required ? `<${body}>` : `[${body}]`;
}

/** Parses a pattern at registration; throws `CommandPatternError` with a clear reason when it is malformed. */
export function parseCommandPattern(source: string): CommandPattern {
  const words = source.trim().split(/\s+/);
  const first = words[0] ?? '';
  if (!/^\/[A-Za-z0-9][\w-]*$/.test(first)) {
    throw new CommandPatternError(source, 'must start with a slash word such as /echo');
  }
  const literals = [first.toLowerCase()];
  const args: PatternArg[] = [];
  for (const word of words.slice(1)) {
    if (word.startsWith('{') || word.startsWith('[')) {
      args.push(parseArg(source, word));
      continue;
    }
    if (args.length > 0)
      throw new CommandPatternError(source, `literal "${word}" must come before the arguments`);
    if (!LITERAL_RE.test(word)) throw new CommandPatternError(source, `bad literal "${word}"`);
    literals.push(word.toLowerCase());
  }
  const seen = new Set<string>();
  args.forEach((arg, i) => {
    if (seen.has(arg.name)) throw new CommandPatternError(source, `duplicate argument name "${arg.name}"`);
    seen.add(arg.name);
    const last = i === args.length - 1;
    if (arg.rest && !last)
      throw new CommandPatternError(source, `rest argument "${arg.name}" must be the last one`);
    if (arg.type === 'text' && !last) {
      throw new CommandPatternError(
        source,
        `text argument "${arg.name}" takes the rest of the line: put it last`,
      );
    }
    const prev = args[i - 1];
    if (arg.required && prev && !prev.required) {
      throw new CommandPatternError(source, `required argument "${arg.name}" cannot follow an optional one`);
    }
  });
  const name = literals.join(' ');
  const usage = [name, ...args.map(usageOf)].join(' ');
  return { source, literals, name, args, usage };
}
