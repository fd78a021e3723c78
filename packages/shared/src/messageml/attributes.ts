import { escapeMessageML } from './escape-message-ml.ts';

export type AttributeValue = string | number | boolean | undefined;

/** ` name="value"` pairs, values escaped; `undefined` and `false` are left out, `true` becomes `"true"`. */
export function renderAttributes(attributes: Readonly<Record<string, AttributeValue>>): string {
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    out += ` ${name}="${escapeMessageML(String(value))}"`;
  }
  return out;
}
