import { escapeText, InvalidMessageMLError } from './markup-tree.ts';

const invalid = (msg: string): InvalidMessageMLError => new InvalidMessageMLError(msg);

/**
 * The part of FreeMarker bots use: `${a.b}` is replaced with the value at that path of the EntityJSON.
 * Directives, undefined values or any other expression → 400, as the agent fails to render them.
 */
export function applyFreemarker(message: string, data: Record<string, unknown>): string {
  if (message.includes('<#') || message.includes('</#') || message.includes('<@')) {
    throw invalid('Error parsing Freemarker template: directives are not supported');
  }
  let out = '';
  let i = 0;
  while (i < message.length) {
    const start = message.indexOf('${', i);
    if (start === -1) {
      out += message.slice(i);
      break;
    }
    const end = message.indexOf('}', start);
    if (end === -1) throw invalid('Error parsing Freemarker template: unterminated ${');
    const path = message.slice(start + 2, end).trim();
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path)) {
      throw invalid(`Error parsing Freemarker template: cannot evaluate \${${path}}`);
    }
    let value: unknown = data;
    for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
    if (value === undefined || value === null || typeof value === 'object') {
      throw invalid(`Error parsing Freemarker template: the expression \${${path}} is undefined in data`);
    }
    out += message.slice(i, start) + escapeText(String(value));
    i = end + 1;
  }
  return out;
}
