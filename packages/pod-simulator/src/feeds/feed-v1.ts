import type { FeedStats } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { Waiters } from './waiters.ts';

type ExpiredReason = NonNullable<FeedStats['expiredReason']>;

/** A datafeed v1 (agent v4): an unread queue that expires when it reaches `capacity`. No acknowledgements. */
export class FeedV1 {
  readonly version = 'v1' as const;
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
    private readonly capacity: number,
    private readonly onExpire: (feed: FeedV1) => void,
  ) {}

  push(event: unknown): void {
    if (this.expired) return;
    this.queue.push(event);
    if (this.queue.length > this.highWater) this.highWater = this.queue.length;
    if (this.queue.length >= this.capacity) this.expire('capacity');
    else this.waiters.notify();
  }

  take(max: number): unknown[] {
    const out = this.queue.take(max);
    this.delivered += out.length;
    return out;
  }

  expire(reason: ExpiredReason): void {
    if (this.expired) return;
    this.expired = true;
    this.expiredReason = reason;
    this.queue.clear();
    this.waiters.notify();
    this.onExpire(this);
  }

  stats(): FeedStats {
    return {
      id: this.id,
      version: 'v1',
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
}
