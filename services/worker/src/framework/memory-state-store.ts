import type { StateStore } from './runtime-services.ts';

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

export interface MemoryStateStore extends StateStore {
  /** Every live key (for tests). */
  keys(): string[];
  clear(): void;
}

/**
 * In-memory `StateStore` (test kit, single-process development). Values are deep-copied through JSON, as the
 * Redis store would, so a handler never mutates stored state by accident. `now` lets tests move time.
 */
export function createMemoryStateStore(opts: { now?: () => number } = {}): MemoryStateStore {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

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

  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const entry = live(key);
      if (entry === undefined || entry.value instanceof Map) return undefined;
      return JSON.parse(JSON.stringify(entry.value)) as T;
    },
    async set(key, value, ttlSec) {
      entries.set(key, { value: JSON.parse(JSON.stringify(value ?? null)), expiresAt: expiry(ttlSec) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async incrementField(key, field, by = 1, ttlSec) {
      const entry = live(key);
      const hash =
        entry?.value instanceof Map ? (entry.value as Map<string, number>) : new Map<string, number>();
      const next = (hash.get(field) ?? 0) + by;
      hash.set(field, next);
      entries.set(key, { value: hash, expiresAt: ttlSec !== undefined ? expiry(ttlSec) : entry?.expiresAt });
      return next;
    },
    async getFields(key) {
      const entry = live(key);
      if (!(entry?.value instanceof Map)) return {};
      return Object.fromEntries(entry.value as Map<string, number>);
    },
    keys() {
      return [...entries.keys()].filter((k) => live(k) !== undefined);
    },
    clear() {
      entries.clear();
    },
  };
}
