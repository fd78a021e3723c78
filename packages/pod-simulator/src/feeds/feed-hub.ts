import { BatonError } from '@baton/shared/errors';
import { newV1FeedId, newV2FeedId } from '../ids.ts';
import type { SimLogger } from '../logger.ts';
import type { FeedStats } from '../types.ts';
import { FeedV1 } from './feed-v1.ts';
import { FeedV2 } from './feed-v2.ts';

export interface FeedHubOptions {
  v1QueueSize: number;
  redeliveryMs: number;
  feedTtlMs: number;
  /** v1 feeds per user before the oldest is invalidated (Symphony: 5). */
  maxV1PerUser?: number;
  /**
   * Live v2 feeds per user that can be read (Symphony: 20). More can be created; a read of one beyond them is
   * refused (403, `TooManyFeedsError`) until older ones are deleted or expire.
   */
  maxV2PerUser?: number;
  logger?: SimLogger;
}

/** How many expired feeds stay visible in stats. */
const EXPIRED_MEMORY = 500;

/**
 * A read of a v2 feed beyond the user's 20 live ones (answered 403 by the datafeed routes, as AG declares on
 * `POST /v5/datafeeds/{datafeedId}/read`: "Too many feeds created. This happens when you reached 20 active feeds").
 */
export class TooManyFeedsError extends BatonError {
  constructor(readonly max: number) {
    super(
      'SIM_TOO_MANY_FEEDS',
      `Too many feeds created: a user may only have ${max} active feeds. Usually, only one active feed is required per service account.`,
    );
  }
}

/** Every datafeed of the pod, indexed by id and by user, and the fan-out of events onto them. */
export class FeedHub {
  private readonly v1 = new Map<string, FeedV1>();
  private readonly v2 = new Map<string, FeedV2>();
  private readonly byUser = new Map<number, Set<FeedV1 | FeedV2>>();
  private readonly datahose = new Map<string, FeedV2>();
  private readonly expiredFeeds: (FeedV1 | FeedV2)[] = [];
  feedsExpired = 0;
  eventsPublished = 0;

  constructor(private readonly opts: FeedHubOptions) {}

  createV1(userId: number): FeedV1 {
    const mine = [...this.userFeeds(userId)].filter((f): f is FeedV1 => f instanceof FeedV1);
    const max = this.opts.maxV1PerUser ?? 5;
    while (mine.length >= max) mine.shift()?.expire('replaced');
    const feed = new FeedV1(newV1FeedId(), userId, this.opts.v1QueueSize, (f) => this.onExpire(f));
    this.v1.set(feed.id, feed);
    this.userFeeds(userId).add(feed);
    return feed;
  }

  /**
   * A new v2 feed. Never refused here: the agent declares no 403 on create (AG `POST /v5/datafeeds`: 201, 400,
   * 401, 500); the limit is met on read (`requireReadable`).
   */
  createV2(userId: number, tag?: string): FeedV2 {
    const feed = new FeedV2(newV2FeedId(), userId, 'v2', {
      redeliveryMs: this.opts.redeliveryMs,
      ttlMs: this.opts.feedTtlMs,
      ...(tag !== undefined ? { tag } : {}),
      onExpire: (f) => this.onExpire(f),
    });
    this.v2.set(feed.id, feed);
    this.userFeeds(userId).add(feed);
    return feed;
  }

  /** The datahose feed shared by (user, tag, event types); created on first read. */
  datahoseFor(userId: number, tag: string, eventTypes: string[]): FeedV2 {
    const key = `${userId}|${tag}|${[...eventTypes].sort().join(',')}`;
    const existing = this.datahose.get(key);
    if (existing && !existing.expired) return existing;
    const feed = new FeedV2(`${newV2FeedId()}_dh`, userId, 'datahose', {
      redeliveryMs: this.opts.redeliveryMs,
      ttlMs: this.opts.feedTtlMs,
      tag,
      eventTypes: new Set(eventTypes),
      onExpire: (f) => {
        this.datahose.delete(key);
        this.onExpire(f);
      },
    });
    this.datahose.set(key, feed);
    return feed;
  }

  getV1(id: string): FeedV1 | undefined {
    const f = this.v1.get(id);
    return f && !f.expired ? f : undefined;
  }

  getV2(id: string): FeedV2 | undefined {
    const f = this.v2.get(id);
    return f && !f.expired ? f : undefined;
  }

  /**
   * Throws `TooManyFeedsError` when `feed` is not among its user's `maxV2PerUser` (20) oldest live v2 feeds: the
   * user has that many feeds already, so this one cannot be read. Deleting (or letting expire) older feeds
   * makes it readable. Datahose feeds do not count.
   */
  requireReadable(feed: FeedV2): void {
    if (feed.version !== 'v2') return;
    const max = this.opts.maxV2PerUser ?? 20;
    let older = 0;
    for (const f of this.userFeeds(feed.userId)) {
      if (f === feed) break;
      if (f instanceof FeedV2 && f.version === 'v2' && !f.expired) older++;
    }
    if (older >= max) throw new TooManyFeedsError(max);
  }

  listV2(userId: number, tag?: string): FeedV2[] {
    return [...this.userFeeds(userId)].filter(
      (f): f is FeedV2 => f instanceof FeedV2 && f.version === 'v2' && (tag === undefined || f.tag === tag),
    );
  }

  /** Deliver one event to every feed of every recipient (and to matching datahose feeds when `pod-wide`). */
  publish(event: unknown, recipientIds: Iterable<number>, podWide = true): void {
    this.eventsPublished++;
    for (const uid of recipientIds) {
      const feeds = this.byUser.get(uid);
      if (!feeds) continue;
      for (const f of feeds) f.push(event);
    }
    if (podWide) for (const dh of this.datahose.values()) if (dh.accepts(event)) dh.push(event);
  }

  expireAll(userId?: number, feedId?: string): number {
    const victims: (FeedV1 | FeedV2)[] = [];
    for (const f of [...this.v1.values(), ...this.v2.values(), ...this.datahose.values()]) {
      if (userId !== undefined && f.userId !== userId) continue;
      if (feedId !== undefined && f.id !== feedId) continue;
      victims.push(f);
    }
    for (const f of victims) f.expire('forced');
    return victims.length;
  }

  stats(): { feeds: FeedStats[]; feedsExpired: number } {
    const live = [...this.v1.values(), ...this.v2.values(), ...this.datahose.values()];
    return { feeds: [...live, ...this.expiredFeeds].map((f) => f.stats()), feedsExpired: this.feedsExpired };
  }

  close(): void {
    for (const f of [...this.v2.values(), ...this.datahose.values()]) f.expire('deleted');
    for (const f of this.v1.values()) f.expire('deleted');
  }

  private userFeeds(userId: number): Set<FeedV1 | FeedV2> {
    let s = this.byUser.get(userId);
    if (!s) {
      s = new Set();
      this.byUser.set(userId, s);
    }
    return s;
  }

  private onExpire(feed: FeedV1 | FeedV2): void {
    this.opts.logger?.info(
      { feedId: feed.id, version: feed.version, userId: feed.userId, reason: feed.expiredReason },
      'datafeed expired',
    );
    if (feed.expiredReason !== 'deleted') this.feedsExpired++;
    if (feed instanceof FeedV1) this.v1.delete(feed.id);
    else if (feed.version === 'v2') this.v2.delete(feed.id);
    this.byUser.get(feed.userId)?.delete(feed);
    this.expiredFeeds.push(feed);
    if (this.expiredFeeds.length > EXPIRED_MEMORY) this.expiredFeeds.shift();
  }
}
