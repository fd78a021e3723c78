import type { Cluster, Redis } from 'ioredis';
import type { MailboxBacklog } from './mailbox.ts';
import type { MailboxKeys } from './mailbox-keys.ts';

/** The rows of a backlog zset read WITHSCORES (`[member, score, member, score, ...]`). */
function withScores(flat: string[]): { streamId: string; score: number }[] {
  const rows: { streamId: string; score: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    rows.push({ streamId: flat[i] as string, score: Number(flat[i + 1]) });
  return rows;
}

/**
 * The read-only backlog queries over the mailboxes' partition counters and backlog zsets (dashboard, metrics,
 * sweeper). They never write: the write/consume protocol is in create-mailbox.ts.
 */
export function createMailboxBacklog(
  redis: Redis | Cluster,
  keys: MailboxKeys,
  partitions: number,
  now: () => number,
): MailboxBacklog {
  const all = Array.from({ length: partitions }, (_, p) => p);
  return {
    async backlog() {
      const t = now();
      const rows = await Promise.all(
        all.map(async (p) => {
          const [pending, streams, oldest] = await Promise.all([
            redis.get(keys.pending(p)),
            redis.zcard(keys.backlog(p)),
            redis.zrange(keys.backlog(p), 0, 0, 'WITHSCORES'),
          ]);
          return {
            pending: Number(pending ?? 0),
            streams,
            oldest: oldest[1] !== undefined ? Number(oldest[1]) : null,
          };
        }),
      );
      let pending = 0;
      let streams = 0;
      let oldest: number | null = null;
      for (const r of rows) {
        pending += r.pending;
        streams += r.streams;
        if (r.oldest !== null && (oldest === null || r.oldest < oldest)) oldest = r.oldest;
      }
      return { pending, streams, oldestAgeMs: oldest === null ? null : Math.max(0, t - oldest) };
    },

    async topStreams(n) {
      if (n <= 0) return [];
      const t = now();
      const perPartition = await Promise.all(
        all.map(async (p) => {
          const flat = await redis.zrange(keys.backlog(p), 0, n - 1, 'WITHSCORES');
          return withScores(flat).map((r) => ({ ...r, p }));
        }),
      );
      const oldest = perPartition
        .flat()
        .sort((a, b) => a.score - b.score)
        .slice(0, n);
      const lengths = await Promise.all(oldest.map((r) => redis.llen(keys.list(r.p, r.streamId))));
      return oldest.map((r, i) => ({
        streamId: r.streamId,
        pending: lengths[i] ?? 0,
        oldestAgeMs: Math.max(0, t - r.score),
      }));
    },

    async streamsWaitingLongerThan(ms, limit) {
      if (limit <= 0) return [];
      const cutoff = now() - ms;
      const perPartition = await Promise.all(
        all.map(async (p) => {
          const flat = await redis.zrangebyscore(
            keys.backlog(p),
            '-inf',
            cutoff,
            'WITHSCORES',
            'LIMIT',
            0,
            limit,
          );
          return withScores(flat);
        }),
      );
      return perPartition
        .flat()
        .sort((a, b) => a.score - b.score)
        .slice(0, limit)
        .map((r) => r.streamId);
    },

    async length(streamId) {
      return redis.llen(keys.list(keys.partitionOf(streamId), streamId));
    },
  };
}
