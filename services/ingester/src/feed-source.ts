import { type CallOptions, childLogger, type Logger, type SymphonyClient } from '@baton/shared';
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
  describe(): { version: FeedVersion; feedId: string | undefined; ackId: string | undefined };
}

export function createFeedSource(
  options: FeedSourceOptions,
  deps: { client: SymphonyClient; state: FeedState; logger: Logger },
): FeedSource {
  const { client, state } = deps;
  const log = childLogger(deps.logger, { component: 'feed', version: options.version });
  let feedId: string | undefined;
  let ackId: string | undefined;

  // The loop handles every retry itself (infinite, with metrics); 401 re-auth stays inside the client.
  const callOpts = (signal: AbortSignal, timeoutMs?: number): CallOptions => ({
    signal,
    retry: { maxAttempts: 1 },
    ...(timeoutMs ? { timeoutMs } : {}),
  });

  async function createFeed(holder: string, signal: AbortSignal): Promise<string> {
    let id: string;
    if (options.version === 'v1') id = (await client.createDatafeedV1(callOpts(signal))).id;
    else if (options.version === 'v2') id = (await client.createDatafeed({}, callOpts(signal))).id;
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

    describe: () => ({ version: options.version, feedId, ackId }),
  };
}
