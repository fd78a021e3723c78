import { defineScript } from '@baton/shared';
import type { Redis } from 'ioredis';

/**
 * A spike, not wired into Baton: the smallest drain scheduler that keeps what Baton asks of BullMQ's drain queue
 * (at most one waiting drain per stream, one more while one is active; a drain whose worker died is handed to
 * another after its lease), written as three scripts and one blocking pop, to measure what replacing BullMQ's
 * job per drain would save (`drain-scheduling-spike-main.ts`, docs/benchmarks.md).
 *
 * Keys (one hash tag, so one slot on a Cluster): `ready` (list of stream ids waiting for a drain), `queued` (set:
 * the same ids, the dedup), `active` (sorted set: stream id → lease deadline, ms).
 */
export interface ReadyListDrains {
  /** Schedules a drain of each stream that has none waiting (one round trip). */
  schedule(streamIds: readonly string[]): Promise<void>;
  /** Blocks up to `timeoutSec` for up to `max` streams and leases them (two round trips). */
  take(max: number, timeoutSec: number): Promise<string[]>;
  /** A drain ended: its lease is released (one round trip). */
  finish(streamId: string): Promise<void>;
  /** Extends the leases of `streamIds` (one round trip for all of a worker's drains). */
  renew(streamIds: readonly string[]): Promise<void>;
  /** Hands streams whose lease ran out back to `ready` (any worker, periodically). */
  reap(): Promise<number>;
}

const SCHEDULE = `
for i, id in ipairs(ARGV) do
  if redis.call('SADD', KEYS[2], id) == 1 then redis.call('RPUSH', KEYS[1], id) end
end
return 0`;

const ACTIVATE = `
local deadline = tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('SREM', KEYS[1], ARGV[i])
  redis.call('ZADD', KEYS[2], deadline, ARGV[i])
end
return 0`;

const FINISH = `redis.call('ZREM', KEYS[1], ARGV[1]) return 0`;

const RENEW = `
local deadline = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i]) end
return 0`;

const REAP = `
local expired = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, 100)
for i, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  if redis.call('SADD', KEYS[3], id) == 1 then redis.call('RPUSH', KEYS[2], id) end
end
return #expired`;

export function createReadyListDrains(
  redis: Redis,
  blocking: Redis,
  opts: { prefix: string; leaseMs: number },
): ReadyListDrains {
  const ready = `${opts.prefix}{drains}:ready`;
  const queued = `${opts.prefix}{drains}:queued`;
  const active = `${opts.prefix}{drains}:active`;
  const schedule = defineScript(redis, 'spikeSchedule', SCHEDULE);
  const activate = defineScript(redis, 'spikeActivate', ACTIVATE);
  const finish = defineScript(redis, 'spikeFinish', FINISH);
  const renew = defineScript(redis, 'spikeRenew', RENEW);
  const reap = defineScript(redis, 'spikeReap', REAP);
  return {
    async schedule(streamIds) {
      if (streamIds.length > 0) await schedule(2, ready, queued, ...streamIds);
    },
    async take(max, timeoutSec) {
      const popped = (await blocking.call('BLMPOP', timeoutSec, 1, ready, 'LEFT', 'COUNT', max)) as
        | [string, string[]]
        | null;
      const ids = popped?.[1] ?? [];
      if (ids.length > 0) await activate(2, queued, active, Date.now() + opts.leaseMs, ...ids);
      return ids;
    },
    async finish(streamId) {
      await finish(1, active, streamId);
    },
    async renew(streamIds) {
      if (streamIds.length > 0) await renew(1, active, Date.now() + opts.leaseMs, ...streamIds);
    },
    async reap() {
      return Number(await reap(3, active, ready, queued, Date.now()));
    },
  };
}
