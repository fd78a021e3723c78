/**
 * Redis keys the worker runtime owns (idempotency marks, send limiter, heartbeats), declared here because the
 * dashboard reads the heartbeats too. The mailbox and BullMQ keys are `MailboxKeys` and `queueNames`. Each key
 * touched by a script is a single key, so these work on Redis Cluster; per-stream keys carry the stream id as a
 * hash tag.
 */
export interface WorkerKeys {
  /** "processed" mark of an event (set before the mailbox ack). */
  processed(eventKey: string): string;
  /** Post-started / post-done mark of the n-th reply of an event (or task). */
  reply(eventKey: string, replyIndex: number | string): string;
  /** Token bucket of the per-stream send limiter. */
  sendBucket(streamId: string): string;
  /** Live-worker heartbeat (`workers:<id>`, JSON with a TTL; see `WorkerHeartbeat`), read by the dashboard. */
  heartbeat(workerId: string): string;
  /** Pattern matching every heartbeat key (for SCAN). */
  heartbeatPattern(): string;
}

export function workerKeys(prefix: string): WorkerKeys {
  return {
    processed: (eventKey) => `${prefix}:done:${eventKey}`,
    reply: (eventKey, replyIndex) => `${prefix}:reply:${eventKey}:${replyIndex}`,
    sendBucket: (streamId) => `${prefix}:sendrate:{${streamId}}`,
    heartbeat: (workerId) => `${prefix}:workers:${workerId}`,
    heartbeatPattern: () => `${prefix}:workers:*`,
  };
}
