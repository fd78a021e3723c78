type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; index: number }
  | {
      readonly kind: 'object';
      readonly entries: readonly [string, unknown][];
      index: number;
      wrote: boolean;
    };

/** `toJSON` applied as JSON.stringify does (Dates and the like); plain data comes back as is. */
function jsonValueOf(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as (k: string) => unknown).call(value, key);
  }
  return value;
}

/** The text of a scalar, or undefined for what JSON leaves out (undefined, functions, symbols). */
function scalarText(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  return JSON.stringify(value);
}

/**
 * JSON.stringify without recursion: the same text for any JSON data, at any nesting depth (V8's JSON.stringify
 * overflows the stack at a few thousand levels). Slower, so `feedJson` uses it only when it has to.
 */
export function stringifyWithoutRecursion(root: unknown): string | undefined {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object') {
      const text = scalarText(value);
      if (text === undefined) return false;
      out.push(text);
      return true;
    }
    if (Array.isArray(value)) {
      out.push('[');
      stack.push({ kind: 'array', items: value, index: 0 });
    } else {
      out.push('{');
      stack.push({ kind: 'object', entries: Object.entries(value), index: 0, wrote: false });
    }
    return true;
  };
  if (!open(jsonValueOf(root, ''))) return undefined;
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.kind === 'array') {
      if (frame.index >= frame.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      const i = frame.index++;
      if (i > 0) out.push(',');
      if (!open(jsonValueOf(frame.items[i], String(i)))) out.push('null');
    } else {
      const entry = frame.entries[frame.index++];
      if (entry === undefined) {
        out.push('}');
        stack.pop();
        continue;
      }
      const [key, raw] = entry;
      const value = jsonValueOf(raw, key);
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      out.push(frame.wrote ? ',' : '', JSON.stringify(key), ':');
      frame.wrote = true;
      open(value);
    }
  }
  return out.join('');
}

/**
 * The JSON text of a feed read. A real agent delivers whatever event it stored, however deep: JSON.stringify is
 * tried first (fast), and a value too deep for it (RangeError) is written without recursion instead, so a
 * hostile injected event reaches the reader instead of turning every read into a 500.
 */
export function feedJson(body: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    text = stringifyWithoutRecursion(body);
  }
  return text ?? 'null';
}
