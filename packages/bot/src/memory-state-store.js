/** A hash value: fields hold JSON-copied values (counters are numbers). */
class Hash extends Map {}
const copy = (value) => JSON.parse(JSON.stringify(value ?? null));
const DEFAULT_ONCE_TTL_SEC = 7 * 24 * 3600;
/**
 * In-memory `StateStore` (test kit, single-process development). Values are deep-copied through JSON, as the
 * Redis store would, so a handler never mutates stored state by accident. `now` lets tests move time.
 */
export function createMemoryStateStore(opts = {}) {
  const now = opts.now ?? Date.now;
  const entries = new Map();
  /** "applied" marks of `incrementFieldOnce`: `<key>\n<opId>` → expiry. */
  const applied = new Map();
  const live = (key) => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const expiry = (ttlSec) => (ttlSec !== undefined && ttlSec > 0 ? now() + ttlSec * 1000 : undefined);
  /** The live hash at `key` (created when absent), its TTL refreshed when `ttlSec` is given. */
  const hashAt = (key, ttlSec) => {
    const entry = live(key);
    const hash = entry?.value instanceof Hash ? entry.value : new Hash();
    entries.set(key, { value: hash, expiresAt: ttlSec !== undefined ? expiry(ttlSec) : entry?.expiresAt });
    return hash;
  };
  const readHash = (key) => {
    const value = live(key)?.value;
    return value instanceof Hash ? value : undefined;
  };
  const increment = (key, field, by, ttlSec) => {
    const hash = hashAt(key, ttlSec);
    const current = hash.get(field);
    const next = (typeof current === 'number' ? current : 0) + by;
    hash.set(field, next);
    return next;
  };
  return {
    async get(key) {
      const entry = live(key);
      if (entry === undefined || entry.value instanceof Hash) return undefined;
      return copy(entry.value);
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
    async setFieldIfAbsent(key, field, value, ttlSec) {
      const hash = hashAt(key, ttlSec);
      const set = !hash.has(field);
      if (set) hash.set(field, copy(value));
      return { set, value: copy(hash.get(field)) };
    },
    async getFields(key) {
      const out = {};
      for (const [f, v] of readHash(key) ?? []) if (typeof v === 'number') out[f] = v;
      return out;
    },
    async getFieldValues(key) {
      return Object.fromEntries([...(readHash(key) ?? [])].map(([f, v]) => [f, copy(v)]));
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
//# sourceMappingURL=memory-state-store.js.map
