import { type Content, type Fragment, render, trusted } from './fragment.ts';

/**
 * Tagged template for MessageML: the literal parts are trusted markup; every interpolated value is escaped
 * unless it is a `Fragment` (arrays are rendered item by item).
 *
 *     messageML`<p>Hi ${name}, ${bold(count)} new</p>`
 */
export function messageML(strings: TemplateStringsArray, ...values: readonly Content[]): Fragment {
  let markup = strings[0] ?? '';
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? '');
  });
  return trusted(markup);
}
