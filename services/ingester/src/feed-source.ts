import {
  type CallOptions,
  childLogger,
  FeedGoneError,
  FeedLimitError,
  type Logger,
  type SymphonyClient,
} from '@baton/shared';
import type { FeedRecreation, FeedState, FeedVersion } from './feed-state.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';

/** Feeds the BDKs reuse from the list call: `<id>_f` or `<id>_f_<suffix>` (fanout feeds). */
const REUSABLE_FEED = /^[^\s_]+_f(_[^\s_]+)?$/;

export interface FeedSourceOptions {
  version: FeedVersion;
  datahoseTag: string;
  datahoseEventTypes: string[];
  readTimeoutMs: number;
}

export interface FeedRead {
  events: unknown[];
  /** v2 / datahose: the ackId to store once the batch is safe; v1: undefined (no ack). */
  ackId: string | undefined;
}

/** One datafeed flavour behind one interface: where to resume, how to read, how to start over. */
export interface FeedSource {
  /** Resume the stored feed, else (v2) a listed one, else create one; stores the choice. */
  open(holder: string, signal: AbortSignal): Promise<void>;
  read(signal: AbortSignal): Promise<FeedRead>;
  /** The batch of the last read is safe in Redis and `ackId` is stored: read from it next. */
  committed(ackId: string | undefined): void;
  /** After FeedGoneError: delete (best effort) and create a new feed. */
  recreate(holder: string, reason: string, signal: AbortSignal): Promise<FeedRecreation>;
  /**
   * After FeedLimitError on a read (the agent refuses the feed: the account has 20 active feeds): deletes every
   * other v2 feed the account lists (`GET /agent/v5/datafeeds`), keeping the one in use, logs the ids deleted
   * and counts them (`onFeedsDeleted`); returns them. A feed already gone counts as deleted; any other failure
   * throws before anything is logged or counted (the caller retries).
   */
  deleteOtherFeeds(signal: AbortSignal): Promise<string[]>;
  describe(): { version: FeedVersion; feedId: string | undefined; ackId: string | undefined };
}

export function createFeedSource(
  options: FeedSourceOptions,
  deps: {
    client: SymphonyClient;
    state: FeedState;
    logger: Logger;
    /** Counts the feeds deleted because the agent refused ours (a read or a create) for too many feeds. */
    onFeedsDeleted?: (n: number) => void;
  },
): FeedSource {
  const { client, state } = deps;
  const onFeedsDeleted = (n: number) => deps.onFeedsDeleted?.(n);
  const log = childLogger(deps.logger, { component: 'feed', version: options.version });
  let feedId: string | undefined;
  let ackId: string | undefined;

  // The loop handles every retry itself (infinite, with metrics); 401 re-auth stays inside the client.
  const callOpts = (signal: AbortSignal, timeoutMs?: number): CallOptions => ({
    signal,
    retry: { maxAttempts: 1 },
    ...(timeoutMs ? { timeoutMs } : {}),
  });

  /**
   * The agent refused `refused` for too many feeds: deletes the listed v2 feeds other than `keep`, then logs
   * and counts them; returns their ids.
   */
  async function deleteFeedsBut(
    keep: string | undefined,
    refused: 'to read ours' | 'a new one',
    signal: AbortSignal,
  ): Promise<string[]> {
    const deleted: string[] = [];
    if (options.version === 'v2') {
      for (const feed of await client.listDatafeeds(callOpts(signal))) {
        if (feed.id === keep) continue;
        try {
          await client.deleteDatafeed(feed.id, callOpts(signal));
        } catch (err) {
          if (!(err instanceof FeedGoneError)) throw err; // gone meanwhile: what we wanted
        }
        deleted.push(feed.id);
      }
    }
    log.error(
      { feedId: keep, deleted },
      `too many datafeeds on the bot account: the agent refused ${refused}; deleted ${deleted.length} other feeds`,
    );
    onFeedsDeleted(deleted.length);
    return deleted;
  }

  /**
   * A new v2 feed. An agent that refuses the create itself for too many feeds (403; the spec puts the limit on
   * the read, some agent documentation on the create) gets the account's other feeds deleted and one more try.
   */
  async function createV2(signal: AbortSignal): Promise<string> {
    try {
      return (await client.createDatafeed({}, callOpts(signal))).id;
    } catch (err) {
      if (!(err instanceof FeedLimitError)) throw err;
      await deleteFeedsBut(undefined, 'a new one', signal);
      return (await client.createDatafeed({}, callOpts(signal))).id;
    }
  }

  async function createFeed(holder: string, signal: AbortSignal): Promise<string> {
    let id: string;
    if (options.version === 'v1') id = (await client.createDatafeedV1(callOpts(signal))).id;
    else if (options.version === 'v2') id = await createV2(signal);
    else id = options.datahoseTag;
    const stored = await state.saveFeed(holder, options.version, id);
    if (!stored) throw new LeadershipLostError('feed id not stored: no longer the leader');
    log.info({ feedId: id }, 'feed created');
    return id;
  }

  return {
    async open(holder, signal) {
      const stored = await state.load();
      if (stored.version === options.version && stored.feedId) {
        feedId = stored.feedId;
        ackId = stored.ackId ?? '';
        log.info({ feedId, resumedAck: Boolean(ackId) }, 'resuming stored feed');
        return;
      }
      ackId = '';
      if (options.version === 'v2') {
        const listed = await client.listDatafeeds(callOpts(signal));
        const reusable = listed.find((f) => REUSABLE_FEED.test(f.id));
        if (reusable) {
          if (!(await state.saveFeed(holder, 'v2', reusable.id))) {
            throw new LeadershipLostError('feed id not stored: no longer the leader');
          }
          feedId = reusable.id;
          log.info({ feedId }, 'resuming listed feed');
          return;
        }
      }
      feedId = await createFeed(holder, signal);
    },

    async read(signal) {
      if (feedId === undefined) throw new Error('feed not open');
      const opts = callOpts(signal, options.readTimeoutMs);
      if (options.version === 'v1')
        return { events: await client.readDatafeedV1(feedId, opts), ackId: undefined };
      if (options.version === 'v2') return client.readDatafeed(feedId, ackId ?? '', opts);
      return client.readDatahose(
        {
          tag: options.datahoseTag,
          eventTypes: options.datahoseEventTypes,
          ...(ackId ? { ackId } : {}),
        },
        opts,
      );
    },

    committed(next) {
      if (next !== undefined) ackId = next;
    },

    async recreate(holder, reason, signal) {
      const old = feedId;
      const lastStoredAckId = ackId;
      if (options.version === 'v2' && old) {
        await client.deleteDatafeed(old, callOpts(signal)).catch(() => {});
      }
      ackId = '';
      feedId = await createFeed(holder, signal);
      const entry: FeedRecreation = {
        at: Date.now(),
        version: options.version,
        ...(old ? { oldFeedId: old } : {}),
        newFeedId: feedId,
        ...(lastStoredAckId ? { lastStoredAckId } : {}),
        reason,
        note:
          'events the old feed held but had not delivered, and events sent before the new feed was created, ' +
          'are not delivered by the new feed (missed)',
      };
      await state.recordRecreation(entry);
      return entry;
    },

    deleteOtherFeeds: (signal) => deleteFeedsBut(feedId, 'to read ours', signal),

    describe: () => ({ version: options.version, feedId, ackId }),
  };
}
