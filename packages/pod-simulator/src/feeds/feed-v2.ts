import { newAckId } from '../ids.ts';
import type { FeedStats } from '../types.ts';
import { FeedBase } from './feed-base.ts';

export interface FeedV2Options {
  redeliveryMs: number;
  ttlMs: number;
  /** Datahose feeds only: the event types accepted. */
  eventTypes?: ReadonlySet<string>;
  tag?: string;
  onExpire: (feed: FeedV2) => void;
}

interface InFlight {
  events: unknown[];
  timer: NodeJS.Timeout;
}

/** How many past ackIds a feed remembers (re-sending an already used ackId is accepted as a no-op). */
const ACK_MEMORY = 1000;

/**
 * A datafeed v2 (agent v5) or datahose feed: each read acknowledges the batch named by its ackId; batches not
 * acknowledged within `redeliveryMs` go back to the front of the queue. A feed not read for `ttlMs` expires.
 */
export class FeedV2 extends FeedBase {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly knownAckIds = new Set<string>();
  private readonly ttlTimer: NodeJS.Timeout;
  acknowledged = 0;
  redelivered = 0;

  constructor(
    id: string,
    userId: number,
    readonly version: 'v2' | 'datahose',
    private readonly opts: FeedV2Options,
  ) {
    super(id, userId);
    this.ttlTimer = setTimeout(() => this.expire('ttl'), opts.ttlMs);
    this.ttlTimer.unref();
  }

  get tag(): string | undefined {
    return this.opts.tag;
  }

  get eventTypes(): ReadonlySet<string> | undefined {
    return this.opts.eventTypes;
  }

  accepts(event: unknown): boolean {
    const types = this.opts.eventTypes;
    if (!types) return true;
    const type = (event as { type?: unknown } | null)?.type;
    return typeof type === 'string' && types.has(type);
  }

  /** Restart the unread TTL (called when a read starts and ends). */
  touch(): void {
    if (!this.expired) this.ttlTimer.refresh();
  }

  /** Acknowledge the batch named by `ackId`. Returns false when the ackId was never issued by this feed. */
  acknowledge(ackId: string): boolean {
    if (ackId === '') return true;
    const batch = this.inFlight.get(ackId);
    if (batch) {
      clearTimeout(batch.timer);
      this.inFlight.delete(ackId);
      this.acknowledged += batch.events.length;
      return true;
    }
    return this.knownAckIds.has(ackId);
  }

  /** Take up to `max` events as a new in-flight batch; returns the events and the ackId naming them. */
  take(max: number): { events: unknown[]; ackId: string } {
    const events = this.queue.take(max);
    const ackId = newAckId();
    this.knownAckIds.add(ackId);
    if (this.knownAckIds.size > ACK_MEMORY) {
      const oldest = this.knownAckIds.values().next().value;
      if (oldest !== undefined) this.knownAckIds.delete(oldest);
    }
    if (events.length > 0) {
      this.delivered += events.length;
      const timer = setTimeout(() => this.redeliver(ackId), this.opts.redeliveryMs);
      timer.unref();
      this.inFlight.set(ackId, { events, timer });
    }
    return { events, ackId };
  }

  private redeliver(ackId: string): void {
    const batch = this.inFlight.get(ackId);
    if (!batch) return;
    this.inFlight.delete(ackId);
    if (this.expired) return;
    this.redelivered += batch.events.length;
    this.queue.unshiftAll(batch.events);
    this.noteHighWater();
    this.waiters.notify();
  }

  protected override releaseResources(): void {
    clearTimeout(this.ttlTimer);
    for (const b of this.inFlight.values()) clearTimeout(b.timer);
    this.inFlight.clear();
  }

  protected onExpired(): void {
    this.opts.onExpire(this);
  }

  override stats(): FeedStats {
    return { ...super.stats(), acknowledged: this.acknowledged, redelivered: this.redelivered };
  }
}
