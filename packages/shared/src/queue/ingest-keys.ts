/**
 * Redis keys of the ingester's own state, declared here because the dashboard reads them too. They share the
 * hash tag `{<prefix>:ingest}` so the lease check and the ackId store run in one script (one slot on Redis
 * Cluster):
 * - `leader`       string `<instanceId>|<token>`, PX = lease: who reads the feed
 * - `leader-token` counter: fencing tokens, strictly increasing over every takeover
 * - `feed`         hash: `version`, `feedId`, `ackId`, `updatedAt` (of the ackId); `lastReadAt` (last completed
 *                  read), `highWater` (the most events one read returned on the current feed: Baton's view, the
 *                  agent's own unread high-water can be higher), `leaderSince` (when the current leader took over)
 * - `feed-events`  list (newest first, capped): feed recreations and what may have been missed, JSON
 */
export interface IngestKeys {
  leader: string;
  leaderToken: string;
  feed: string;
  feedEvents: string;
}

export function ingestKeys(prefix: string): IngestKeys {
  const tag = `{${prefix}:ingest}`;
  return {
    leader: `${prefix}:${tag}:leader`,
    leaderToken: `${prefix}:${tag}:leader-token`,
    feed: `${prefix}:${tag}:feed`,
    feedEvents: `${prefix}:${tag}:feed-events`,
  };
}
