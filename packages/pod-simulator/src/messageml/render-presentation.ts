import { PASS_THROUGH, VOID } from './allowed-tags.ts';
import { escapeText, InvalidMessageMLError, type MarkupNode, openTag } from './markup-tree.ts';

const PRESENTATION_EXTRA = new Set(['form', 'input', 'select', 'option', 'textarea', 'button']);

/** PresentationML sent by a bot: HTML kept as is (well formed, known tags, no scripts or handlers). */
export function renderPresentation(nodes: MarkupNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') {
      out += escapeText(n.text);
      continue;
    }
    if (!PASS_THROUGH[n.name] && !PRESENTATION_EXTRA.has(n.name)) {
      throw new InvalidMessageMLError(`Invalid PresentationML content at element "${n.name}"`);
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.attrs)) {
      if (k.toLowerCase().startsWith('on'))
        throw new InvalidMessageMLError(`Attribute "${k}" is not allowed in "${n.name}"`);
      attrs[k] = v;
    }
    out += VOID.has(n.name)
      ? openTag(n.name, attrs, true)
      : `${openTag(n.name, attrs)}${renderPresentation(n.children)}</${n.name}>`;
  }
  return out;
}
