import type { QueuedEvent } from './queued-event.ts';

export interface EnqueueItem {
  /** Dedup key (eventKey()). */
  key: string;
  /** Ordering key: the mailbox the event goes to. */
  streamId: string;
  /** The raw event JSON. */
  event: unknown;
  /** Defaults to now. */
  receivedAt?: number;
}

export interface EnqueueOptions {
  /** The ingester leader's fencing token; a batch with a lower token than the highest seen is refused. */
  leaderToken?: string;
  /** How long an event key is remembered for dedup (s). */
  dedupTtlSec: number;
}

export interface EnqueueResult {
  added: number;
  duplicates: number;
  /** Streams whose mailbox was empty before this batch: schedule a drain for each. */
  freshStreams: string[];
  /**
   * True when a partition refused its part of the batch (a newer leader's token was seen there): the caller
   * is deposed and must not store its ackId. Each key-slot partition checks its own fence, so a new leader
   * raises every partition with fence() before it reads; other partitions may have accepted their part, which
   * the new leader's re-read then skips as duplicates.
   */
  fenced: boolean;
}

export interface AckResult {
  status: 'acked' | 'fenced' | 'mismatch';
  /** The new head (acked) or the current head (mismatch), when it parses; null when empty or corrupt. */
  next: QueuedEvent | null;
  /** Whether the mailbox still holds entries (true with next === null means the head is corrupt: peek it). */
  hasMore: boolean;
}

export interface Backlog {
  pending: number;
  streams: number;
  oldestAgeMs: number | null;
}

export interface StreamBacklog {
  streamId: string;
  pending: number;
  oldestAgeMs: number;
}

/** Per-stream Redis mailboxes: see mailbox-keys.ts for the keys and docs/ingester.md for the guarantees. */
export interface Mailbox {
  enqueue(items: EnqueueItem[], opts: EnqueueOptions): Promise<EnqueueResult>;
  /** Head of the stream's mailbox; throws CorruptEntryError when it does not parse. */
  peek(streamId: string): Promise<QueuedEvent | null>;
  /** New fencing token for a drain of this stream (older tokens are fenced from then on). */
  claim(streamId: string): Promise<string>;
  /** Whether `token` is still the stream's current claim (a drain checks it before an external side effect). */
  holds(streamId: string, token: string): Promise<boolean>;
  /** Compare-and-pop of the head (only if its seq is `seq` and `token` is the stream's current claim). */
  ack(streamId: string, seq: number, token: string): Promise<AckResult>;
  /** Raise every partition's leader fence to `leaderToken` (called by a new ingester leader). */
  fence(leaderToken: string): Promise<void>;
  backlog(): Promise<Backlog>;
  /** The n streams with the oldest pending events. */
  topStreams(n: number): Promise<StreamBacklog[]>;
  /** Streams whose oldest pending event is older than `ms` (sweeper input), oldest first. */
  streamsWaitingLongerThan(ms: number, limit: number): Promise<string[]>;
  /** Number of pending entries of one stream. */
  length(streamId: string): Promise<number>;
  /** Every Redis key one enqueue/ack/claim call of this stream touches (for slot checks in tests). */
  keysFor(streamId: string, eventKey?: string): string[];
  close?(): void;
}
