import { z } from 'zod';
/** How a token reads in plain text (`#tag`, `$TICK`, `@Name`). */
export function tokenText(token) {
  switch (token.kind) {
    case 'hashtag':
      return `#${token.value}`;
    case 'cashtag':
      return `$${token.value}`;
    default:
      return token.text;
  }
}
const TAG_RE = /^[A-Za-z0-9_.-]+$/;
const schemas = {
  string: z.string().min(1),
  text: z.string().min(1),
  number: z.coerce.number().finite(),
  int: z.coerce.number().int().finite(),
  mention: z.object({ userId: z.number().int(), text: z.string() }),
  hashtag: z.string().regex(TAG_RE),
  cashtag: z.string().regex(TAG_RE),
};
const expected = {
  string: 'a word or "quoted text"',
  text: 'some text',
  number: 'a number',
  int: 'a whole number',
  mention: 'an @mention',
  hashtag: 'a #hashtag',
  cashtag: 'a $cashtag',
};
/** Token → the raw value the argument's zod schema validates (undefined = wrong kind of token). */
function rawValue(type, token) {
  switch (type) {
    case 'mention':
      return token.kind === 'mention' ? { userId: token.userId, text: token.text } : undefined;
    case 'hashtag':
      if (token.kind === 'hashtag') return token.value;
      return token.kind === 'word' ? token.text.replace(/^#/, '') : undefined;
    case 'cashtag':
      if (token.kind === 'cashtag') return token.value;
      return token.kind === 'word' ? token.text.replace(/^\$/, '') : undefined;
    case 'number':
    case 'int': {
      if (token.kind !== 'word') return undefined;
      const text = token.text.trim();
      return text === '' ? undefined : text;
    }
    default:
      return tokenText(token);
  }
}
function convert(arg, token) {
  const raw = rawValue(arg.type, token);
  const parsed = raw === undefined ? undefined : schemas[arg.type].safeParse(raw);
  if (!parsed?.success) {
    return {
      ok: false,
      problem: { kind: 'invalid', arg, given: tokenText(token), expected: expected[arg.type] },
    };
  }
  return { ok: true, value: parsed.data };
}
function defaultOf(arg) {
  if (arg.defaultValue === undefined) return undefined;
  return arg.type === 'number' || arg.type === 'int' ? Number(arg.defaultValue) : arg.defaultValue;
}
/** Binds the tokens after the command's literal words to the pattern's arguments, validating each. */
export function matchArgs(pattern, tokens) {
  const args = {};
  let i = 0;
  for (const arg of pattern.args) {
    if (arg.type === 'text') {
      const rest = tokens.slice(i);
      i = tokens.length;
      if (rest.length === 0) {
        if (arg.required) return { ok: false, problem: { kind: 'missing', arg } };
        const value = defaultOf(arg);
        if (value !== undefined) args[arg.name] = arg.rest ? [value] : value;
        else if (arg.rest) args[arg.name] = [];
        continue;
      }
      // One quoted string is taken as is; otherwise the tokens are rejoined, quotes kept.
      const text =
        rest.length === 1 && rest[0]
          ? tokenText(rest[0])
          : rest.map((t) => (t.kind === 'quoted' ? `"${t.text}"` : tokenText(t))).join(' ');
      args[arg.name] = arg.rest ? [text] : text;
      continue;
    }
    if (arg.rest) {
      const values = [];
      for (; i < tokens.length; i++) {
        const converted = convert(arg, tokens[i]);
        if (!converted.ok) return converted;
        values.push(converted.value);
      }
      if (values.length === 0 && arg.required) return { ok: false, problem: { kind: 'missing', arg } };
      args[arg.name] = values;
      continue;
    }
    const token = tokens[i];
    if (token === undefined) {
      if (arg.required) return { ok: false, problem: { kind: 'missing', arg } };
      const value = defaultOf(arg);
      if (value !== undefined) args[arg.name] = value;
      continue;
    }
    i++;
    const converted = convert(arg, token);
    if (!converted.ok) return converted;
    args[arg.name] = converted.value;
  }
  if (i < tokens.length) {
    return { ok: false, problem: { kind: 'extra', given: tokens.slice(i).map(tokenText).join(' ') } };
  }
  return { ok: true, args };
}
//# sourceMappingURL=match-command.js.map
