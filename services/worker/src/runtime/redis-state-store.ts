import type { StateStore } from '@baton/bot';
import { defineScript, keySlot } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import { StateStoreError } from './state-store-error.ts';

export interface RedisStateStoreOptions {
  /** Key prefix, e.g. `baton:state:`. */
  prefix: string;
  /**
   * How long an `incrementFieldOnce` operation id is remembered when the hash itself does not expire (otherwise
   * as long as its `ttlSec`). Default 7 days: longer than any retry, and than an operator takes to replay a
   * dead letter.
   */
  onceTtlSec?: number;
}

const DEFAULT_ONCE_TTL_SEC = 7 * 24 * 3600;

// KEYS[1] hash, KEYS[2] "applied" mark of the operation; ARGV field, by, hash ttl (0 = keep), mark ttl.
const INCREMENT_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[4]) then
  local v = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
  if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
  return {v, 1}
end
local cur = redis.call('HGET', KEYS[1], ARGV[1])
return {tonumber(cur or '0'), 0}
`;

/**
 * The key of the "applied" mark of operation `opId` on `key`, in the same Redis Cluster slot as `key` (the
 * script touches both): `key` already carrying a hash tag keeps it, otherwise the whole key becomes the tag.
 */
export function onceMarkKey(key: string, opId: string): string {
  const slot = keySlot(key);
  for (const candidate of [`${key}:once:${opId}`, `{${key}}:once:${opId}`]) {
    if (keySlot(candidate) === slot) return candidate;
  }
  throw new StateStoreError('STATE_KEY_SLOT', `state key "${key}": cannot place its once-marks in its slot`);
}

const decode = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

type TxResult = [Error | null, unknown][] | null;
function firstResult(results: TxResult): unknown {
  const first = results?.[0];
  if (!first) throw new StateStoreError('STATE_TX_ABORTED', 'state store: transaction aborted');
  if (first[0]) throw first[0];
  return first[1];
}

/**
 * `StateStore` on Redis: plain values are JSON strings (`SET … EX`), hashes hold counters (`HINCRBY`) and JSON
 * fields (`HSETNX`), so every worker replica sees the same conversation state and poll votes. Each call touches
 * one key, or one key and its once-mark in the same slot, so it works on Redis Cluster too. The connection is
 * the caller's to close.
 */
export function createRedisStateStore(redis: Redis | Cluster, opts: RedisStateStoreOptions): StateStore {
  const k = (key: string) => `${opts.prefix}${key}`;
  const onceTtlSec = Math.ceil(opts.onceTtlSec ?? DEFAULT_ONCE_TTL_SEC);
  const ttl = (ttlSec?: number) => (ttlSec !== undefined && ttlSec > 0 ? Math.ceil(ttlSec) : 0);
  const incrementOnce = defineScript(redis, 'batonStateIncrementOnceV1', INCREMENT_ONCE);
  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const raw = await redis.get(k(key));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlSec) {
      const raw = JSON.stringify(value ?? null);
      if (ttl(ttlSec) > 0) await redis.set(k(key), raw, 'EX', ttl(ttlSec));
      else await redis.set(k(key), raw);
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async incrementField(key, field, by = 1, ttlSec) {
      const tx = redis.multi().hincrby(k(key), field, by);
      if (ttl(ttlSec) > 0) tx.expire(k(key), ttl(ttlSec));
      return Number(firstResult(await tx.exec()));
    },
    async incrementFieldOnce(key, field, opId, by = 1, ttlSec) {
      const full = k(key);
      const [value, applied] = (await incrementOnce(
        2,
        full,
        onceMarkKey(full, opId),
        field,
        by,
        ttl(ttlSec),
        ttl(ttlSec) || onceTtlSec,
      )) as [number, number];
      return { value: Number(value), applied: applied === 1 };
    },
    async setFieldIfAbsent<T>(key: string, field: string, value: T, ttlSec?: number) {
      const full = k(key);
      const tx = redis
        .multi()
        .hsetnx(full, field, JSON.stringify(value ?? null))
        .hget(full, field);
      if (ttl(ttlSec) > 0) tx.expire(full, ttl(ttlSec));
      const results = (await tx.exec()) as TxResult;
      const set = Number(firstResult(results)) === 1;
      const stored = results?.[1];
      if (!stored || stored[0]) throw stored?.[0] ?? new StateStoreError('STATE_TX_ABORTED', 'aborted');
      return { set, value: decode(String(stored[1])) as T };
    },
    async getFields(key) {
      const raw = await redis.hgetall(k(key));
      const out: Record<string, number> = {};
      for (const [f, v] of Object.entries(raw)) {
        const n = Number(v);
        if (v !== '' && Number.isFinite(n)) out[f] = n;
      }
      return out;
    },
    async getFieldValues<T = unknown>(key: string) {
      const raw = await redis.hgetall(k(key));
      return Object.fromEntries(Object.entries(raw).map(([f, v]) => [f, decode(v) as T]));
    },
  };
}
