/**
 * Keys written by the other services that the dashboard reads. They mirror the owners' key functions
 * (`ingestKeys` in services/ingester/src/ingest-keys.ts, `workerKeys` in services/worker/src/runtime/worker-keys.ts)
 * without importing the services at run time; test/baton-keys.test.ts fails if they drift apart.
 */
export function batonKeys(prefix: string) {
  const ingest = `{${prefix}:ingest}`;
  return {
    /** string `<holder>|<token>` (holder = `<INSTANCE_ID>#<run id>`) with PX = the lease: the replica reading the feed. */
    ingesterLeader: `${prefix}:${ingest}:leader`,
    /** hash `version`, `feedId`, `ackId`, `updatedAt` (+ `lastReadAt`, `highWater`, `leaderSince` when written). */
    ingesterFeed: `${prefix}:${ingest}:feed`,
    /** list (newest first, capped at 100) of feed recreations, JSON. */
    ingesterFeedEvents: `${prefix}:${ingest}:feed-events`,
    /** `workers:<id>`: JSON heartbeat with a TTL. */
    workerHeartbeat: (id: string) => `${prefix}:workers:${id}`,
    workerHeartbeatPattern: `${prefix}:workers:*`,
  };
}
