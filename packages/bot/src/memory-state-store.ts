import type { StateStore } from './runtime-contract.ts';

/** A hash value: fields hold JSON-copied values (counters are numbers). */
class Hash extends Map<string, unknown> {}

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

export interface MemoryStateStore extends StateStore {
  /** Every live key (for tests). */
  keys(): string[];
  clear(): void;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;
const DEFAULT_ONCE_TTL_SEC = 7 * 24 * 3600;

/**
 * In-memory `StateStore` (test kit, single-process development). Values are deep-copied through JSON, as the
 * Redis store would, so a handler never mutates stored state by accident. `now` lets tests move time.
 */
export function createMemoryStateStore(
  opts: { now?: () => number; onceTtlSec?: number } = {},
): MemoryStateStore {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  /** "applied" marks of `incrementFieldOnce`: `<key>\n<opId>` → expiry. */
  const applied = new Map<string, number>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const expiry = (ttlSec?: number) =>
    ttlSec !== undefined && ttlSec > 0 ? now() + ttlSec * 1000 : undefined;
  /** The live hash at `key` (created when absent), its TTL refreshed when `ttlSec` is given. */
  const hashAt = (key: string, ttlSec?: number): Hash => {
    const entry = live(key);
    const hash = entry?.value instanceof Hash ? entry.value : new Hash();
    entries.set(key, { value: hash, expiresAt: ttlSec !== undefined ? expiry(ttlSec) : entry?.expiresAt });
    return hash;
  };
  const readHash = (key: string): Hash | undefined => {
    const value = live(key)?.value;
    return value instanceof Hash ? value : undefined;
  };
  const increment = (key: string, field: string, by: number, ttlSec?: number): number => {
    const hash = hashAt(key, ttlSec);
    const current = hash.get(field);
    const next = (typeof current === 'number' ? current : 0) + by;
    hash.set(field, next);
    return next;
  };

  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const entry = live(key);
      if (entry === undefined || entry.value instanceof Hash) return undefined;
      return copy(entry.value) as T;
    },
    async set(key, value, ttlSec) {
      entries.set(key, { value: copy(value), expiresAt: expiry(ttlSec) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async incrementField(key, field, by = 1, ttlSec) {
      return increment(key, field, by, ttlSec);
    },
    async incrementFieldOnce(key, field, opId, by = 1, ttlSec) {
      const mark = `${key}\n${opId}`;
      const markExpiry = applied.get(mark);
      if (markExpiry !== undefined && markExpiry > now()) {
        const current = readHash(key)?.get(field);
        return { value: typeof current === 'number' ? current : 0, applied: false };
      }
      applied.set(mark, expiry(ttlSec) ?? now() + (opts.onceTtlSec ?? DEFAULT_ONCE_TTL_SEC) * 1000);
      return { value: increment(key, field, by, ttlSec), applied: true };
    },
    async setFieldIfAbsent<T>(key: string, field: string, value: T, ttlSec?: number) {
      const hash = hashAt(key, ttlSec);
      const set = !hash.has(field);
      if (set) hash.set(field, copy(value));
      return { set, value: copy(hash.get(field)) as T };
    },
    async getFields(key) {
      const out: Record<string, number> = {};
      for (const [f, v] of readHash(key) ?? []) if (typeof v === 'number') out[f] = v;
      return out;
    },
    async getFieldValues<T = unknown>(key: string) {
      return Object.fromEntries([...(readHash(key) ?? [])].map(([f, v]) => [f, copy(v) as T]));
    },
    keys() {
      return [...entries.keys()].filter((k) => live(k) !== undefined);
    },
    clear() {
      entries.clear();
      applied.clear();
    },
  };
}
