import type { Redis } from 'ioredis';
import type { StateStore } from './runtime-services.ts';

export interface RedisStateStoreOptions {
  /** Key prefix, e.g. `baton:state:`. */
  prefix: string;
}

/**
 * `StateStore` on Redis: plain values are JSON strings (`SET … EX`), counters are hashes (`HINCRBY`), so every
 * worker replica sees the same conversation state and poll tallies. The connection is the caller's to close.
 */
export function createRedisStateStore(redis: Redis, opts: RedisStateStoreOptions): StateStore {
  const k = (key: string) => `${opts.prefix}${key}`;
  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const raw = await redis.get(k(key));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlSec) {
      const raw = JSON.stringify(value ?? null);
      if (ttlSec !== undefined && ttlSec > 0) await redis.set(k(key), raw, 'EX', Math.ceil(ttlSec));
      else await redis.set(k(key), raw);
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async incrementField(key, field, by = 1, ttlSec) {
      const tx = redis.multi().hincrby(k(key), field, by);
      if (ttlSec !== undefined && ttlSec > 0) tx.expire(k(key), Math.ceil(ttlSec));
      const results = await tx.exec();
      const first = results?.[0];
      if (!first) throw new Error('state store: transaction aborted');
      if (first[0]) throw first[0];
      return Number(first[1]);
    },
    async getFields(key) {
      const raw = await redis.hgetall(k(key));
      return Object.fromEntries(Object.entries(raw).map(([f, v]) => [f, Number(v)]));
    },
  };
}
