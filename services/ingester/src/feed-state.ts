import { defineScript, ingestKeys } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';

/**
 * KEYS: leader, feed. ARGV: holder, the size of the batch just read (-1: not a read), then field/value pairs.
 * Raises `highWater` to the batch size when larger. 1 stored, 0 when `holder` no longer leads.
 */
const STORE_IF_LEADER_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local n = tonumber(ARGV[2])
if n >= 0 then
  local hw = tonumber(redis.call('HGET', KEYS[2], 'highWater')) or 0
  if n > hw then redis.call('HSET', KEYS[2], 'highWater', n) end
end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
`;

const NOT_A_READ = -1;

/**
 * KEYS: leader, feed. ARGV: holder, now. The batch a previous session left in hand (`inHand`: read, never
 * stored) becomes `awaitingRedelivery` (with `noticedAt`), and `inHand` is cleared; only while `holder` leads.
 * Returns the record ('' when none), or false when `holder` no longer leads.
 */
const TAKE_IN_HAND_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local left = redis.call('HGET', KEYS[2], 'inHand')
if not left or left == '' then return '' end
redis.call('HSET', KEYS[2], 'awaitingRedelivery', left, 'inHand', '')
return left
`;

/** A batch read from the feed and not stored yet (`inHand`), or one a dead leader left (`awaitingRedelivery`). */
export interface BatchInHand {
  /** When it was read (ms). */
  at: number;
  events: number;
  /** The lease holder that read it. */
  by: string;
}

export type FeedVersion = 'v1' | 'v2' | 'datahose';

export interface StoredFeed {
  version?: FeedVersion;
  feedId?: string;
  ackId?: string;
}

export interface FeedRecreation {
  at: number;
  version: FeedVersion;
  oldFeedId?: string;
  newFeedId?: string;
  lastStoredAckId?: string;
  reason: string;
  /** What may have been missed. */
  note: string;
}

export interface FeedState {
  load(): Promise<StoredFeed>;
  /** Store a (new) feed id with an empty ackId, only while `holder` is the leader. */
  saveFeed(holder: string, version: FeedVersion, feedId: string): Promise<boolean>;
  /** Store the ackId after a batch is safe in Redis, only while `holder` is the leader. */
  saveAck(holder: string, ackId: string): Promise<boolean>;
  /**
   * After a read (its batch safe in Redis), in one round trip and only while `holder` leads: `lastReadAt`, the
   * feed's `highWater` (the most events one read returned on the current feed) and, when given, the ackId.
   */
  saveRead(
    holder: string,
    read: { at: number; events: number; ackId?: string | undefined },
  ): Promise<boolean>;
  /**
   * Before a batch is stored, only while `holder` leads: `inHand` = {at, events, by}. The saveRead that stores
   * its ackId clears it, so a leader that dies in between leaves it behind for the next one (takeInHand).
   */
  recordInHand(holder: string, batch: { at: number; events: number }): Promise<boolean>;
  /**
   * At a session's start: the batch a previous session read and never stored (then kept as
   * `awaitingRedelivery`: the dashboard shows it), or undefined. Throws nothing when there is none.
   */
  takeInHand(holder: string): Promise<{ leader: boolean; left?: BatchInHand }>;
  /** Record when `holder` became the leader (`leaderSince`), only while it leads. */
  saveLeaderSince(holder: string, since: number): Promise<boolean>;
  /** Keep a record of a feed recreation (last 100). */
  recordRecreation(entry: FeedRecreation): Promise<void>;
  recreations(): Promise<FeedRecreation[]>;
}

/** The feed id and ackId in Redis, written atomically with the leader check (one slot, one script). */
export function createFeedState(redis: Redis | Cluster, prefix: string): FeedState {
  const keys = ingestKeys(prefix);
  const store = defineScript(redis, 'batonIngestStoreIfLeaderV1', STORE_IF_LEADER_LUA);
  const takeInHand = defineScript(redis, 'batonIngestTakeInHandV1', TAKE_IN_HAND_LUA);

  return {
    async load() {
      const h = await redis.hgetall(keys.feed);
      const out: StoredFeed = {};
      if (h.version === 'v1' || h.version === 'v2' || h.version === 'datahose') out.version = h.version;
      if (h.feedId) out.feedId = h.feedId;
      if (h.ackId !== undefined) out.ackId = h.ackId;
      return out;
    },
    async saveFeed(holder, version, feedId) {
      const r = await store(
        2,
        keys.leader,
        keys.feed,
        holder,
        NOT_A_READ,
        'version',
        version,
        'feedId',
        feedId,
        'ackId',
        '',
        'updatedAt',
        Date.now(),
        'highWater',
        0,
      );
      return r === 1;
    },
    async saveAck(holder, ackId) {
      const r = await store(
        2,
        keys.leader,
        keys.feed,
        holder,
        NOT_A_READ,
        'ackId',
        ackId,
        'updatedAt',
        Date.now(),
      );
      return r === 1;
    },
    async saveRead(holder, read) {
      const ack =
        read.ackId === undefined ? [] : ['ackId', read.ackId, 'updatedAt', Date.now(), 'inHand', ''];
      const r = await store(2, keys.leader, keys.feed, holder, read.events, 'lastReadAt', read.at, ...ack);
      return r === 1;
    },
    async recordInHand(holder, batch) {
      const record: BatchInHand = { at: batch.at, events: batch.events, by: holder };
      const r = await store(2, keys.leader, keys.feed, holder, NOT_A_READ, 'inHand', JSON.stringify(record));
      return r === 1;
    },
    async takeInHand(holder) {
      const r = (await takeInHand(2, keys.leader, keys.feed, holder, Date.now())) as string | null;
      if (r === null) return { leader: false };
      if (r === '') return { leader: true };
      try {
        return { leader: true, left: JSON.parse(r) as BatchInHand };
      } catch {
        return { leader: true };
      }
    },
    async saveLeaderSince(holder, since) {
      const r = await store(2, keys.leader, keys.feed, holder, NOT_A_READ, 'leaderSince', since);
      return r === 1;
    },
    async recordRecreation(entry) {
      await redis.lpush(keys.feedEvents, JSON.stringify(entry));
      await redis.ltrim(keys.feedEvents, 0, 99);
    },
    async recreations() {
      const raw = await redis.lrange(keys.feedEvents, 0, -1);
      return raw.map((r) => JSON.parse(r) as FeedRecreation);
    },
  };
}
