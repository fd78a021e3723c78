import { decodeHTMLStrict } from 'entities';
import { Parser } from 'htmlparser2';
import { InvalidMarkupError } from './invalid-markup-error.ts';

/** Elements whose boundaries separate text (they render on their own line or cell). */
const BLOCK_ELEMENTS = new Set([
  'address',
  'blockquote',
  'body',
  'br',
  'card',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

export function isBlockElement(name: string): boolean {
  return BLOCK_ELEMENTS.has(name.toLowerCase());
}

/** Real PresentationML nests a few dozen elements at most. */
export const MAX_MARKUP_DEPTH = 256;

export interface PresentationMlHandlers {
  /** Decoded text (entities resolved). May be called several times for one run of text. */
  onText(text: string): void;
  onOpen(name: string, attributes: Readonly<Record<string, string>>): void;
  onClose(name: string): void;
}

/**
 * Streams PresentationML through htmlparser2 (xmlMode) without building a tree, so deep nesting costs a counter,
 * not stack. Entities are decoded exactly once, with the HTML entity table (`&amp;` `&lt;` `&#36;` `&nbsp;` …);
 * CDATA text is passed as is. Throws `InvalidMarkupError` on any `<!…>` declaration (DOCTYPE, ENTITY) and on
 * elements nested deeper than `MAX_MARKUP_DEPTH` (htmlparser2's open-element stack is quadratic in depth).
 */
export function walkPresentationMl(pml: string, handlers: PresentationMlHandlers): void {
  let inCdata = false;
  let depth = 0;
  const parser = new Parser(
    {
      onprocessinginstruction(name) {
        if (name.startsWith('!')) {
          throw new InvalidMarkupError(
            'declaration',
            `PresentationML must not contain declarations (found <${name.slice(0, 20)}…>)`,
          );
        }
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      ontext(raw) {
        handlers.onText(inCdata ? raw : decodeHTMLStrict(raw));
      },
      onopentag(name, attributes) {
        depth += 1;
        if (depth > MAX_MARKUP_DEPTH) {
          throw new InvalidMarkupError(
            'too-deep',
            `PresentationML nested deeper than ${MAX_MARKUP_DEPTH} elements`,
          );
        }
        const decoded: Record<string, string> = {};
        for (const [key, value] of Object.entries(attributes)) decoded[key] = decodeHTMLStrict(value);
        handlers.onOpen(name, decoded);
      },
      onclosetag(name) {
        depth -= 1;
        handlers.onClose(name);
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.end(pml);
}
