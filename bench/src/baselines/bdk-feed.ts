import { FeedGoneError, type Logger, type SymphonyClient } from '@baton/shared';

/**
 * A datafeed read the way the Symphony BDKs do it (BDK Java DatafeedLoopV1/V2, BDK Python datafeed_loop_v1/v2):
 * - v1: create a feed, read it; a 400 (feed gone) means create a new one: events of the old feed are lost;
 * - v2: reuse a listed feed or create one; each read acknowledges the previous batch with its ackId, so a batch
 *   is acknowledged only once its handlers finished (the next read); a 400 means delete, recreate, ackId reset.
 * Transient errors (5xx, 429, network) are retried by the shared client; 401 re-authenticates there too.
 */
export interface BdkFeed {
  /** Next batch of raw events ([] on a 204 / empty poll or after a feed was recreated). */
  read(signal: AbortSignal): Promise<unknown[]>;
  /** Times the feed was found gone and recreated. */
  recreated(): number;
}

const FEED_RETRY = {
  maxAttempts: Number.POSITIVE_INFINITY,
  initialDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 10_000,
};

export function createBdkFeed(
  version: 'v1' | 'v2',
  deps: { client: SymphonyClient; logger: Logger },
): BdkFeed {
  const { client, logger } = deps;
  let feedId: string | undefined;
  let ackId = '';
  let recreated = 0;

  async function ensureFeed(signal: AbortSignal): Promise<string> {
    if (feedId) return feedId;
    if (version === 'v1') {
      feedId = (await client.createDatafeedV1({ signal, retry: FEED_RETRY })).id;
    } else {
      const listed = await client.listDatafeeds({ signal, retry: FEED_RETRY });
      feedId = listed[0]?.id ?? (await client.createDatafeed({}, { signal, retry: FEED_RETRY })).id;
      ackId = '';
    }
    logger.info({ feedId, version }, 'datafeed ready');
    return feedId;
  }

  return {
    recreated: () => recreated,
    async read(signal) {
      const id = await ensureFeed(signal);
      try {
        if (version === 'v1') return await client.readDatafeedV1(id, { signal, retry: FEED_RETRY });
        const res = await client.readDatafeed(id, ackId, { signal, retry: FEED_RETRY });
        ackId = res.ackId;
        return res.events;
      } catch (err) {
        if (!(err instanceof FeedGoneError)) throw err;
        recreated++;
        logger.warn(
          { feedId: id, version },
          'datafeed gone: creating a new one (events in the old feed are lost)',
        );
        if (version === 'v2') await client.deleteDatafeed(id, { signal }).catch(() => {});
        feedId = undefined;
        return [];
      }
    },
  };
}
