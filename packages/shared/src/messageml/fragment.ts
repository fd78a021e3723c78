import { escapeMessageML } from './escape-message-ml.ts';

const TRUSTED = Symbol('trusted MessageML');

/**
 * Trusted MessageML markup, built only by this module's helpers and the `messageML` template, never from a
 * plain object or string. Interpolating a Fragment inserts its markup; anything else is escaped.
 */
export class Fragment {
  readonly markup: string;
  /** True for a `<button type="action">` (a form needs at least one). */
  readonly isActionButton: boolean;

  constructor(token: typeof TRUSTED, markup: string, isActionButton = false) {
    if (token !== TRUSTED) throw new TypeError('Fragment: build markup with the MessageML helpers');
    this.markup = markup;
    this.isActionButton = isActionButton;
  }

  toString(): string {
    return this.markup;
  }
}

/** Internal: wraps markup the caller has built from escaped parts. */
export function trusted(markup: string, isActionButton = false): Fragment {
  return new Fragment(TRUSTED, markup, isActionButton);
}

/** What a helper accepts as content: text (escaped), numbers, Fragments, or lists of those. */
export type Content = string | number | boolean | Fragment | null | undefined | readonly Content[];

/** Renders content: Fragments as their markup, text escaped, `null`/`undefined` as nothing. */
export function render(content: Content): string {
  if (content instanceof Fragment) return content.markup;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) return content.map((item: Content) => render(item)).join('');
  return escapeMessageML(String(content));
}
