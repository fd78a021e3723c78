/** One token of a message, as the command parser sees it. */
export type Token =
  | { readonly kind: 'word'; readonly text: string }
  /** Text between double quotes (`"…"` or `“…”`), quotes removed; may contain spaces or be empty. */
  | { readonly kind: 'quoted'; readonly text: string }
  /** `text` is what the span showed, e.g. `@Jane Doe`. */
  | { readonly kind: 'mention'; readonly userId: number; readonly text: string }
  /** Without the `#`. */
  | { readonly kind: 'hashtag'; readonly value: string }
  /** Without the `$`. */
  | { readonly kind: 'cashtag'; readonly value: string };
