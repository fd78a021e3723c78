import type { FeedStats } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { Waiters } from './waiters.ts';

export type ExpiredReason = NonNullable<FeedStats['expiredReason']>;

/** What every datafeed kind shares: the unread queue, the long-poll waiters, counters and expiry. */
export abstract class FeedBase {
  readonly queue = new EventQueue<unknown>();
  readonly waiters = new Waiters();
  readonly createdAt = Date.now();
  highWater = 0;
  delivered = 0;
  expired = false;
  expiredReason: ExpiredReason | undefined;

  constructor(
    readonly id: string,
    readonly userId: number,
  ) {}

  abstract readonly version: FeedStats['version'];

  /** Queue an event (ignored once expired) and wake the held reads. */
  push(event: unknown): void {
    if (this.expired) return;
    this.queue.push(event);
    this.noteHighWater();
    this.afterPush();
  }

  /** Expire the feed once: drop what is queued, release held reads, then `onExpired`. */
  expire(reason: ExpiredReason): void {
    if (this.expired) return;
    this.expired = true;
    this.expiredReason = reason;
    this.releaseResources();
    this.queue.clear();
    this.waiters.notify();
    this.onExpired();
  }

  stats(): FeedStats {
    return {
      id: this.id,
      version: this.version,
      userId: this.userId,
      unread: this.queue.length,
      highWater: this.highWater,
      delivered: this.delivered,
      acknowledged: 0,
      redelivered: 0,
      expired: this.expired,
      ...(this.expiredReason ? { expiredReason: this.expiredReason } : {}),
    };
  }

  protected noteHighWater(): void {
    if (this.queue.length > this.highWater) this.highWater = this.queue.length;
  }

  /** Called after each push (default: wake the held reads). */
  protected afterPush(): void {
    this.waiters.notify();
  }

  /** Timers and in-flight state to drop on expiry, before the queue is cleared. */
  protected releaseResources(): void {}

  protected abstract onExpired(): void;
}
