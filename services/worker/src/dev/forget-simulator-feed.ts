import { ingestKeys } from '@baton/shared';
import { Redis } from 'ioredis';

/** What an earlier run's ingester had recorded about its datafeed, now forgotten. */
export interface ForgottenFeed {
  feedId: string | undefined;
  /** Feed recreations it had recorded (the dashboard shows the last one). */
  recreations: number;
}

/**
 * Before the ingester of a simulated stack starts: the pod simulator keeps everything in memory, so it starts
 * every run with no datafeed, while Redis keeps what the last run's ingester recorded of its feed (the feed id,
 * the ackId, the last read, the feed recreations). Left there, the new ingester would read a feed the new
 * simulator never had, log an ERROR "datafeed gone, recreated", and the dashboard would show that HTTP 400 and a
 * "time since last read" of the previous run. Dropping that record makes a restart start clean; the mailboxes,
 * dead letters and the bot's state in Redis are kept. Resolves what was forgotten, or undefined (nothing was
 * recorded).
 */
export async function forgetSimulatorFeed(
  redisUrl: string,
  prefix: string,
): Promise<ForgottenFeed | undefined> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keys = ingestKeys(prefix);
    const [feedId, recreations] = await Promise.all([
      redis.hget(keys.feed, 'feedId'),
      redis.llen(keys.feedEvents),
    ]);
    const existed = await redis.exists(keys.feed, keys.feedEvents);
    if (existed === 0) return undefined;
    await redis.del(keys.feed, keys.feedEvents);
    return { feedId: feedId ?? undefined, recreations };
  } finally {
    redis.disconnect();
  }
}
