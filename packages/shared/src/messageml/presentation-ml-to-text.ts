import { isBlockElement, walkPresentationMl } from './walk-presentation-ml.ts';

/**
 * The plain text of a PresentationML message.
 *
 * Rule: entities are decoded; every run of whitespace (including `&nbsp;` and source line breaks) becomes one
 * space; the start and end of a block element (`p`, `div`, `li`, `tr`, `td`, `h1`…) and every `<br/>` become a
 * line break; spaces around line breaks and repeated line breaks are removed; the result is trimmed. Inline
 * elements join without a separator: `a<b>b</b> c` → `ab c`, `<p>a</p><p>b</p>` → `a\nb`.
 *
 * Throws `InvalidMarkupError` on a DOCTYPE or other declaration, or on nesting deeper than `MAX_MARKUP_DEPTH`.
 */
export function presentationMlToText(pml: string): string {
  const chunks: string[] = [];
  const separate = (name: string) => {
    if (isBlockElement(name)) chunks.push('\n');
  };
  walkPresentationMl(pml, {
    onText: (text) => chunks.push(text.replace(/\s+/g, ' ')),
    onOpen: separate,
    onClose: separate,
  });
  return chunks
    .join('')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}
