const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\r': '&#13;',
};

/** Characters that start FreeMarker syntax after `[` (square-bracket syntax: `[#if]`, `[@m/]`, `[/#if]`, `[=x]`). */
const AFTER_BRACKET = new Set(['#', '@', '/', '=']);

/** The first character of a value, after markup that could end in `$`, `#`, `<`, `[` or `[/`. */
const LEADING: Readonly<Record<string, string>> = { '{': '&#123;', '#': '&#35;', '@': '&#64;', '=': '&#61;' };

/**
 * Escapes user text for MessageML text or attribute values, so it can neither change the message's structure nor
 * be evaluated by FreeMarker, whatever markup surrounds it:
 * - `& < > " '` become entities, and `\r` becomes `&#13;` (an XML parser would turn a raw one into `\n`);
 * - `$` and `#` become `&#36;` / `&#35;` when followed by `{` or at the very end, so `${…}` / `#{…}` never form;
 * - `[` becomes `&#91;` before `# @ / =` or at the very end (square-bracket FreeMarker syntax: `[#if]`, `[@m/]`);
 * - a leading `{ # @ =` (or a `/` before `#`/`@`) becomes a numeric reference, in case the markup before the
 *   value ends with `$`, `#`, `<` or `[`.
 */
export function escapeMessageML(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const next = text.charAt(i + 1);
    const xml = XML_ESCAPES[char];
    const leading = i === 0 ? LEADING[char] : undefined;
    if (xml !== undefined) out += xml;
    else if (leading !== undefined) out += leading;
    else if (i === 0 && char === '/' && (next === '#' || next === '@')) out += '&#47;';
    else if (char === '$' && (next === '{' || next === '')) out += '&#36;';
    else if (char === '#' && (next === '{' || next === '')) out += '&#35;';
    else if (char === '[' && (next === '' || AFTER_BRACKET.has(next))) out += '&#91;';
    else out += char;
  }
  return out;
}
