import { FeedBase } from './feed-base.ts';

/** A datafeed v1 (agent v4): an unread queue that expires when it reaches `capacity`. No acknowledgements. */
export class FeedV1 extends FeedBase {
  readonly version = 'v1' as const;

  constructor(
    id: string,
    userId: number,
    private readonly capacity: number,
    private readonly onExpire: (feed: FeedV1) => void,
  ) {
    super(id, userId);
  }

  protected override afterPush(): void {
    if (this.queue.length >= this.capacity) this.expire('capacity');
    else this.waiters.notify();
  }

  take(max: number): unknown[] {
    const out = this.queue.take(max);
    this.delivered += out.length;
    return out;
  }

  protected onExpired(): void {
    this.onExpire(this);
  }
}
