/** Limits of `boundJson`. Sizes are measured like `exceedsJsonBounds` (events/json-bounds.ts) measures them. */
export interface JsonLimits {
  /** Objects and arrays nested deeper than this (the value itself is depth 1) are replaced by a marker. */
  readonly maxDepth: number;
  /** Longer strings (values and keys) are cut, with a marker of how much was cut. */
  readonly maxStringLength: number;
  /** Items of an array beyond this are dropped, with a marker item. */
  readonly maxArrayLength: number;
  /** Keys of an object beyond this are dropped, with a marker key `…`. */
  readonly maxKeys: number;
  /** Approximate serialised size: once reached, the rest is dropped. */
  readonly maxSize: number;
}

export interface BoundedJson {
  /** A fresh copy made of plain JSON data only (strings, finite numbers, booleans, null, arrays, objects). */
  readonly value: unknown;
  /** True when anything was cut, dropped or converted (so `value` is not the input's JSON). */
  readonly truncated: boolean;
}

type Frame =
  | { kind: 'array'; src: readonly unknown[]; out: unknown[]; i: number; end: number; depth: number }
  | {
      kind: 'object';
      src: Record<string, unknown>;
      keys: string[];
      out: Record<string, unknown>;
      i: number;
      end: number;
      depth: number;
    };

const OMIT = Symbol('omit');

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a `__proto__` key of untrusted input must stay a plain property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Copies a JSON-like value within `limits`, without recursion (any depth, any size: the work is bounded by the
 * limits, not by the input). What JSON cannot hold is dropped (`undefined`, functions and symbols in objects)
 * or becomes `null` (in arrays, and non-finite numbers) as `JSON.stringify` does; a bigint becomes its decimal
 * text (and counts as truncated). Cycles end at the depth limit. Getters of exotic objects may throw: the
 * caller decides what to do then.
 */
export function boundJson(value: unknown, limits: JsonLimits): BoundedJson {
  const stack: Frame[] = [];
  let size = 0;
  let truncated = false;

  const cut = (text: string): string => {
    if (text.length <= limits.maxStringLength) return text;
    truncated = true;
    return `${text.slice(0, limits.maxStringLength)}…[truncated: ${text.length - limits.maxStringLength} more chars]`;
  };

  const convert = (v: unknown, depth: number, inArray: boolean): unknown => {
    if (typeof v === 'string') {
      const s = cut(v);
      size += s.length + 2;
      return s;
    }
    if (v === null || typeof v === 'boolean') {
      size += 8;
      return v;
    }
    if (typeof v === 'number') {
      size += 8;
      return Number.isFinite(v) ? v : null;
    }
    if (typeof v === 'bigint') {
      truncated = true;
      size += 8;
      return v.toString();
    }
    if (typeof v !== 'object') {
      // undefined, function, symbol: what JSON.stringify does with them.
      if (typeof v !== 'undefined') truncated = true;
      return inArray ? null : OMIT;
    }
    if (depth > limits.maxDepth) {
      truncated = true;
      size += 40;
      return `[truncated: nested deeper than ${limits.maxDepth} levels]`;
    }
    size += 2;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      const end = Math.min(v.length, limits.maxArrayLength);
      stack.push({ kind: 'array', src: v, out, i: 0, end, depth });
      return out;
    }
    const src = v as Record<string, unknown>;
    const keys = Object.keys(src);
    const out: Record<string, unknown> = {};
    stack.push({ kind: 'object', src, keys, out, i: 0, end: Math.min(keys.length, limits.maxKeys), depth });
    return out;
  };

  const closeFrame = (frame: Frame): void => {
    const total = frame.kind === 'array' ? frame.src.length : frame.keys.length;
    const more = total - frame.i;
    if (more <= 0) return;
    truncated = true;
    if (frame.kind === 'array') frame.out.push(`[truncated: ${more} more items]`);
    else setOwn(frame.out, '…', `[truncated: ${more} more keys]`);
  };

  const root = convert(value, 1, false);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (size > limits.maxSize) {
      // Out of budget: close every open container with a marker, innermost first.
      for (let f = stack.pop(); f !== undefined; f = stack.pop()) closeFrame(f);
      break;
    }
    if (frame.i >= frame.end) {
      closeFrame(frame);
      stack.pop();
      continue;
    }
    const index = frame.i;
    frame.i += 1;
    if (frame.kind === 'array') {
      size += 1;
      frame.out.push(convert(frame.src[index], frame.depth + 1, true));
    } else {
      const key = frame.keys[index] as string;
      const child = convert(frame.src[key], frame.depth + 1, false);
      if (child === OMIT) continue;
      const kept = cut(key);
      size += kept.length + 4;
      setOwn(frame.out, kept, child);
    }
  }
  return { value: root === OMIT ? undefined : root, truncated };
}
