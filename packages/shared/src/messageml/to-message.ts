import type { Fragment } from './fragment.ts';

/** The complete MessageML document to send. */
export function toMessage(fragment: Fragment): string {
  return `<messageML>${fragment.markup}</messageML>`;
}
