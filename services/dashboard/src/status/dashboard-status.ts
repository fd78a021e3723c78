/** The JSON twin served at `/api/status` (and rendered by the status page). Ages and times are milliseconds. */
export interface DashboardStatus {
  /** Format version of this document. */
  v: 1;
  prefix: string;
  /** When the dashboard assembled this status (epoch ms). */
  generatedAt: number;
  /** Events waiting in mailboxes (O(1) counters kept by the mailbox scripts). */
  backlog: { pending: number; streams: number; oldestAgeMs: number | null } | null;
  /**
   * Streams with the most pending events, largest first (ties: oldest first). Ranked among the oldest
   * `topCandidates` (200) waiting streams, so exact while no more streams wait.
   */
  topStreams: { streamId: string; pending: number; oldestAgeMs: number }[] | null;
  /** Dead-letter queue: `size` = jobs not completed (waiting, delayed, prioritized, active, failed). */
  dlq: { size: number; counts: Record<string, number> } | null;
  /** Drain and scheduled BullMQ queues: job counts by state. */
  queues: { drain: Record<string, number>; scheduled: Record<string, number> } | null;
  /** Events handled per second across live workers, from the `handled` counter in their heartbeats. */
  handled: { perSecond: number | null; total: number; windowMs: number } | null;
  /**
   * Reply latency across live workers over the last `windowMs` (30 s): from the ingester receiving an event to
   * the end of its successful handler attempt, from the latency buckets in the heartbeats. Null p50/p99 while
   * no worker reports two beats with events handled in between.
   */
  latency: ReplyLatencyStatus | null;
  ingester: IngesterStatus | null;
  workers: { live: number; list: LiveWorker[] } | null;
  /** Sections that could not be read this time (Redis unreachable, timeout…): section name → error. */
  errors: Record<string, string>;
}

export interface IngesterStatus {
  /** The replica holding the leader lease (null: no leader right now), its fencing token and lease time left. */
  leader: { id: string; token: number | null; since: number | null; leaseRemainingMs: number | null } | null;
  /** The stored feed; `lastStoredAt` = when the ingester last stored the feed id or an ackId (a batch safe in Redis). */
  feed: { id: string | null; version: string | null; lastStoredAt: number | null } | null;
  /** Last completed feed read, when the ingester records it (`lastReadAt` field of its feed hash). */
  lastReadAt: number | null;
  lastReadAgeMs: number | null;
  /**
   * Baton's view of the feed high-water mark: the most events one read returned on the current feed (`highWater`
   * field of the ingester's feed hash). The agent may hold more unread events than one read returns.
   */
  highWater: number | null;
  /**
   * A batch a previous leader read and never stored (it died or was deposed in between): Symphony redelivers it
   * after its redelivery delay (~30 s), possibly after newer events. Shown for 2 minutes after the read.
   */
  awaitingRedelivery: { readAt: number; events: number; readBy: string } | null;
  /** Feed recreations (expired/gone feeds) logged by the ingester, and the latest one. */
  recreations: {
    count: number;
    last: { at: number | null; reason: string | null; note: string | null } | null;
  };
}

export interface LiveWorker {
  id: string;
  host: string | null;
  pid: number | null;
  startedAt: number | null;
  beatAt: number | null;
  concurrency: number | null;
  /**
   * The bot the worker runs: its id, its version (when the bot tells: `createBot({ version })`) and the
   * fingerprint of its command set (same commands, same print).
   */
  bot: { id: string; fingerprint: string; commands: number; version?: string };
  /** The heartbeat's live counters (handled, …), as the worker reported them. */
  stats: Record<string, number>;
  /** The worker's cumulative reply-latency buckets (null: a worker that does not report them). */
  latency: { boundsMs: number[]; counts: number[] } | null;
}

export interface ReplyLatencyStatus {
  p50Ms: number | null;
  p99Ms: number | null;
  /** Events the figures are computed over. */
  count: number;
  windowMs: number;
}
