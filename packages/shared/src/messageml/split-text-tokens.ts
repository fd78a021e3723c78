import type { Token } from './token.ts';

const CLOSING_QUOTES: Readonly<Record<string, readonly string[]>> = {
  '"': ['"'],
  '\u201c': ['\u201d', '"'],
};

function isSpace(char: string): boolean {
  return /\s/.test(char);
}

/**
 * Splits plain text into words and quoted strings. A quote opens a quoted token only at the start of a token;
 * without a closing quote it is an ordinary character of a word.
 */
export function splitTextTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    const char = chars[i] as string;
    if (isSpace(char)) {
      i += 1;
      continue;
    }
    const closers = CLOSING_QUOTES[char];
    if (closers) {
      let end = i + 1;
      while (end < chars.length && !closers.includes(chars[end] as string)) end += 1;
      if (end < chars.length) {
        tokens.push({ kind: 'quoted', text: chars.slice(i + 1, end).join('') });
        i = end + 1;
        continue;
      }
    }
    let end = i + 1;
    while (end < chars.length && !isSpace(chars[end] as string)) end += 1;
    tokens.push({ kind: 'word', text: chars.slice(i, end).join('') });
    i = end;
  }
  return tokens;
}
