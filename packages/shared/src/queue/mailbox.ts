import type { TraceCarrier } from '../tracing/trace-carrier.ts';
import type { CorruptEntryError } from './corrupt-entry-error.ts';
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
  /**
   * The event's own timestamp (`V4Event.timestamp`, ms). With it, an event older than the stream's last pending
   * ones (a redelivery after a leader failover) is placed before them, and one older than what was already
   * handled is delivered flagged late. Without it, the entry is appended and never flagged.
   */
  ts?: number;
  /** The trace context of the ingester's span for this event (tracing on only): stored with the entry. */
  trace?: TraceCarrier;
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
  /** Added events placed before newer pending ones of their stream (older events that arrived late). */
  moved: number;
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

/** A mailbox head as a drain reads it: the stored entry, and whether it is late. */
export interface MailboxHead extends QueuedEvent {
  /**
   * True when an event of the same stream with a later timestamp was already handled: this one arrived after
   * its successors (e.g. a batch Symphony redelivered after a leader failover). It is still delivered, flagged.
   */
  late: boolean;
  /**
   * True when the entry's processed mark (MailboxKeys.processed) is set: a drain marked it handled and was
   * fenced (or stopped) before its ack could pop it. The drain acks it without running handlers.
   */
  processed: boolean;
}

/** What a drain records with its ack: the event's processed mark, set in the same script (one round trip). */
export interface AckMark {
  /** The acked entry's event key (QueuedEvent.key). */
  eventKey: string;
  outcome: 'handled' | 'dead-lettered' | 'skipped';
  /** Lifetime of the mark (s): at least the ingester's dedup window. */
  ttlSec: number;
}

export interface AckResult {
  status: 'acked' | 'fenced' | 'mismatch';
  /** The new head (acked) or the current head (mismatch), when it parses; null when empty or corrupt. */
  next: MailboxHead | null;
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

/** The read-only backlog queries (dashboard, metrics, sweeper): create-mailbox-backlog.ts. */
export interface MailboxBacklog {
  backlog(): Promise<Backlog>;
  /** The n streams with the oldest pending events. */
  topStreams(n: number): Promise<StreamBacklog[]>;
  /** Streams whose oldest pending event is older than `ms` (sweeper input), oldest first. */
  streamsWaitingLongerThan(ms: number, limit: number): Promise<string[]>;
  /** Number of pending entries of one stream. */
  length(streamId: string): Promise<number>;
}

/**
 * Per-stream Redis mailboxes: see mailbox-keys.ts for the keys and docs/ingester.md for the guarantees. The
 * write/consume protocol (create-mailbox.ts) plus the backlog queries (MailboxBacklog).
 */
export interface Mailbox extends MailboxBacklog {
  enqueue(items: EnqueueItem[], opts: EnqueueOptions): Promise<EnqueueResult>;
  /** Head of the stream's mailbox; throws CorruptEntryError when it does not parse. */
  peek(streamId: string): Promise<MailboxHead | null>;
  /** New fencing token for a drain of this stream (older tokens are fenced from then on). */
  claim(streamId: string): Promise<string>;
  /**
   * `claim` then `peek` in one round trip (a drain's start): the new token and the head, null when the mailbox is
   * empty, or the CorruptEntryError that `peek` would throw (returned: the claim is made either way). The head
   * says whether a drain may already have started on it (`maybeStarted`, see CLAIM_PEEK_LUA).
   */
  claimAndPeek(
    streamId: string,
  ): Promise<{ token: string; head: (MailboxHead & { maybeStarted: boolean }) | CorruptEntryError | null }>;
  /** Whether `token` is still the stream's current claim (a drain checks it before an external side effect). */
  holds(streamId: string, token: string): Promise<boolean>;
  /**
   * Removes the handled entry `seq` (only if `token` is the stream's current claim): the head, or, when an older
   * event was placed before it meanwhile, one of the first entries. Raises the stream's handled mark. With
   * `mark`, the event's processed mark is set first in the same script, whatever the token (an event handled
   * by a drain that was fenced meanwhile is still recorded as processed).
   */
  ack(streamId: string, seq: number, token: string, mark?: AckMark): Promise<AckResult>;
  /** Raise every partition's leader fence to `leaderToken` (called by a new ingester leader). */
  fence(leaderToken: string): Promise<void>;
  /** Every Redis key one enqueue/ack/claim call of this stream touches (for slot checks in tests). */
  keysFor(streamId: string, eventKey?: string): string[];
  close?(): void;
}
