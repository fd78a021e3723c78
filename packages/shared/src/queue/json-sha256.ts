import { createHash } from 'node:crypto';

export interface JsonDigest {
  /** sha256, hex. */
  readonly sha256: string;
  /** Characters hashed. */
  readonly chars: number;
  /** False when the text went past `maxChars` (the digest covers its first `maxChars` characters). */
  readonly complete: boolean;
}

/** Beyond this many characters the digest stops (a value that big is an attack, not an event). */
export const MAX_HASHED_CHARS = 256 * 1024 * 1024;

type Frame =
  | { kind: 'array'; src: readonly unknown[]; i: number }
  | { kind: 'object'; src: Record<string, unknown>; keys: string[]; i: number; wrote: boolean };

/**
 * sha256 of a value's text: a string's own UTF-8 bytes, anything else's `JSON.stringify` text, computed without
 * recursion and without building the text (so a 10,000-deep value, which makes `JSON.stringify` throw a
 * RangeError, hashes fine). For JSON data the text is exactly what `JSON.stringify` gives; where that would
 * throw, a cycle is written `"[Circular]"` and a bigint as its digits.
 */
export function jsonSha256(value: unknown, maxChars: number = MAX_HASHED_CHARS): JsonDigest {
  const hash = createHash('sha256');
  let chars = 0;
  let complete = true;
  let buffer = '';
  const write = (text: string): void => {
    if (!complete) return;
    let piece = text;
    if (chars + piece.length > maxChars) {
      piece = piece.slice(0, maxChars - chars);
      complete = false;
    }
    chars += piece.length;
    buffer += piece;
    if (buffer.length >= 65_536) {
      hash.update(buffer, 'utf8');
      buffer = '';
    }
  };

  if (typeof value === 'string') {
    write(value);
    hash.update(buffer, 'utf8');
    return { sha256: hash.digest('hex'), chars, complete };
  }

  const stack: Frame[] = [];
  const open = new Set<object>();
  /** Writes a value; pushes a frame for a container. Returns false for what JSON omits in an object. */
  const emit = (input: unknown, key: string, inArray: boolean): boolean => {
    let v = input;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
    }
    if (typeof v === 'string') write(JSON.stringify(v));
    else if (typeof v === 'number') write(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'boolean') write(v ? 'true' : 'false');
    else if (v === null) write('null');
    else if (typeof v === 'bigint') write(v.toString());
    else if (typeof v !== 'object') {
      if (!inArray) return false;
      write('null');
    } else if (open.has(v)) write('"[Circular]"');
    else if (Array.isArray(v)) {
      write('[');
      open.add(v);
      stack.push({ kind: 'array', src: v, i: 0 });
    } else {
      write('{');
      open.add(v);
      const src = v as Record<string, unknown>;
      stack.push({ kind: 'object', src, keys: Object.keys(src), i: 0, wrote: false });
    }
    return true;
  };

  const omittedAtTop = !emit(value, '', false);
  while (stack.length > 0 && complete) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.kind === 'array') {
      if (frame.i >= frame.src.length) {
        write(']');
        open.delete(frame.src);
        stack.pop();
        continue;
      }
      if (frame.i > 0) write(',');
      const index = frame.i;
      frame.i += 1;
      emit(frame.src[index], String(index), true);
    } else {
      if (frame.i >= frame.keys.length) {
        write('}');
        open.delete(frame.src);
        stack.pop();
        continue;
      }
      const key = frame.keys[frame.i] as string;
      frame.i += 1;
      const child = frame.src[key];
      const t = typeof child;
      if (t === 'undefined' || t === 'function' || t === 'symbol') continue;
      if (frame.wrote) write(',');
      frame.wrote = true;
      write(`${JSON.stringify(key)}:`);
      emit(child, key, false);
    }
  }
  if (omittedAtTop) chars = 0;
  hash.update(buffer, 'utf8');
  return { sha256: hash.digest('hex'), chars, complete };
}
