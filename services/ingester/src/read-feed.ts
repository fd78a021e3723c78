import { abortableSleep, FeedGoneError, FeedLimitError, serializeError } from '@baton/shared';
import type { FeedRead } from './feed-source.ts';
import { isAbort } from './is-abort.ts';
import { backoffDelay, errorClass } from './retry-forever.ts';
import type { SessionContext } from './session-context.ts';

/**
 * The reader of a leader session: reads the feed and holds each batch read for the storer (`storeHeldBatches`),
 * reading again once at most `readAhead` batches wait behind the one being stored. A feed gone is recreated, a
 * refusal for too many feeds deletes the account's other feeds (docs/ingester.md), any other failure backs off.
 * Returns when `signal` aborts or the lease is lost.
 */
export async function readFeed(ctx: SessionContext, signal: AbortSignal): Promise<void> {
  const { options, deps, loop, log, retry } = ctx;
  const { lease, source, metrics, now } = deps;
  let attempt = 0;
  while (!signal.aborted && lease.isLeader()) {
    await loop.held.waitForRoom(ctx.readAhead, signal);
    if (signal.aborted || !lease.isLeader()) return;
    const sentAt = now();
    let read: FeedRead;
    try {
      read = await source.read(signal);
      attempt = 0;
    } catch (err) {
      if (signal.aborted || isAbort(err)) return;
      metrics.reads.inc({ outcome: 'error' });
      metrics.errors.inc({ class: errorClass(err) });
      if (err instanceof FeedGoneError) {
        const before = source.describe();
        const entry = await retry(
          'recreate-feed',
          () => source.recreate(ctx.holder, err.message, signal),
          signal,
        );
        metrics.feedRecreated.inc();
        log.error(
          {
            oldFeedId: before.feedId,
            newFeedId: entry.newFeedId,
            lastStoredAckId: entry.lastStoredAckId,
          },
          `datafeed gone, recreated: ${entry.note}`,
        );
        continue;
      }
      if (err instanceof FeedLimitError && (await deletedOtherFeeds(ctx, signal)) && attempt === 0) {
        attempt += 1;
        continue; // read again at once; refused again, it backs off below
      }
      attempt += 1;
      const delayMs = backoffDelay(err, attempt, options.maxBackoffMs);
      log.warn({ attempt, delayMs, err: serializeError(err) }, 'read failed');
      await abortableSleep(delayMs, signal).catch(() => {});
      continue;
    }
    const receivedAt = now();
    loop.lastReadAt = receivedAt;
    metrics.readSeconds.observe((receivedAt - sentAt) / 1000);
    metrics.reads.inc({ outcome: read.events.length > 0 ? 'events' : 'empty' });
    if (read.events.length > 0) metrics.batchSize.observe(read.events.length);
    // From here the batch is in hand: the storer finishes it even if a stop arrives (until the hard deadline).
    loop.held.push({ events: read.events, ackId: read.ackId, sentAt, receivedAt });
  }
}

/** FeedLimitError on a read: the account's other feeds deleted (logged and counted there); true when some went. */
async function deletedOtherFeeds(ctx: SessionContext, signal: AbortSignal): Promise<boolean> {
  const { source } = ctx.deps;
  const deleted = await ctx.retry('delete-other-feeds', () => source.deleteOtherFeeds(signal), signal);
  return deleted.length > 0;
}
