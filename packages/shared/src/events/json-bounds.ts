/** Limits applied to an event before schema validation. */
export interface JsonBounds {
  /** Approximate serialised size, in characters. */
  readonly maxSize: number;
  /** Nesting depth of objects and arrays (the event object itself is depth 1). */
  readonly maxDepth: number;
}

/**
 * Symphony caps message + data at 1.5 MB and a SHAREDPOST carries two messages, so 8 Mi characters leaves room;
 * no real event nests deeper than about 10 levels.
 */
export const DEFAULT_JSON_BOUNDS: JsonBounds = Object.freeze({ maxSize: 8 * 1024 * 1024, maxDepth: 64 });

/**
 * Walks a JSON-like value without recursion and returns why it exceeds the bounds, or undefined when it fits.
 * Cycles and shared sub-trees are bounded too: each visit adds to the size, and a cycle deepens forever.
 */
export function exceedsJsonBounds(
  value: unknown,
  bounds: JsonBounds = DEFAULT_JSON_BOUNDS,
): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  let size = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const current = next.value;
    if (typeof current === 'string') {
      size += current.length + 2;
    } else if (current === null || typeof current !== 'object') {
      size += 8;
    } else {
      if (next.depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
      size += 2;
      if (Array.isArray(current)) {
        size += current.length;
        if (size > bounds.maxSize) break;
        for (const item of current) stack.push({ value: item, depth: next.depth + 1 });
      } else {
        for (const [key, item] of Object.entries(current)) {
          size += key.length + 4;
          stack.push({ value: item, depth: next.depth + 1 });
        }
      }
    }
    if (size > bounds.maxSize) break;
  }
  return size > bounds.maxSize ? `larger than ${bounds.maxSize} characters` : undefined;
}
