/** Deeper than any validated event can be (parseEvent caps depth at 64); guards against misuse. */
const MAX_DEPTH = 256;

function write(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) throw new RangeError(`canonicalJson: nested deeper than ${MAX_DEPTH} levels`);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => write(item, depth + 1) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = write((value as Record<string, unknown>)[key], depth + 1);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so two serialisations of the
 * same value in different key orders give the same text.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0) ?? 'null';
}
