import { renderAttributes } from './attributes.ts';
import { type Content, type Fragment, render, trusted } from './fragment.ts';

/** `<ul>` (or `<ol>` with `ordered`) with one `<li>` per item. */
export function list(items: readonly Content[], options: { ordered?: boolean } = {}): Fragment {
  const tag = options.ordered ? 'ol' : 'ul';
  return trusted(`<${tag}>${items.map((item) => `<li>${render(item)}</li>`).join('')}</${tag}>`);
}

const row = (cells: readonly Content[], cell: 'th' | 'td') =>
  `<tr>${cells.map((value) => `<${cell}>${render(value)}</${cell}>`).join('')}</tr>`;

/** `<table>` with a header row (`<th>`) and one `<tr>` per row. */
export function table(headers: readonly Content[], rows: readonly (readonly Content[])[]): Fragment {
  const head = headers.length > 0 ? `<thead>${row(headers, 'th')}</thead>` : '';
  return trusted(`<table>${head}<tbody>${rows.map((cells) => row(cells, 'td')).join('')}</tbody></table>`);
}

/** A card: the header is always shown, the body when the card is expanded. */
export function card(header: Content, body: Content, options: { accent?: string } = {}): Fragment {
  const attributes = renderAttributes({ accent: options.accent });
  return trusted(`<card${attributes}><header>${render(header)}</header><body>${render(body)}</body></card>`);
}
