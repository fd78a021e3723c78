import type { MessageUpdater, OutgoingMessage } from '@baton/bot';
import type { Logger, SymphonyClient, V4MessageOut } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import { BATON_SOURCE_TYPE, type BatonSource, carriesSource } from './idempotent-replies.ts';
import { retryRateLimited } from './retry-rate-limited.ts';
import type { SendLimiter } from './send-limiter.ts';
import { createSendMarks, type SendMark } from './send-mark.ts';

/** The `replyIndex` of the source an update carries (its `eventKey` is the update's opId). */
const UPDATE_SOURCE_INDEX = 'update';
/** The agent returns at most 500 messages per call. */
const PAGE_SIZE = 500;

export interface IdempotentUpdatesOptions {
  redis: Redis | Cluster;
  client: SymphonyClient;
  limiter?: SendLimiter;
  /** Key of the started/done mark of update `opId`. */
  markKey: (opId: string) => string;
  /** Lifetime of the marks (at least the ingester's dedup window). */
  ttlSec: number;
  /** How far around the "update started" time the recovery read looks (clock skew worker/pod). Default 5 min. */
  lookbackMs?: number;
  /** At most this many pages (of 500 messages) per recovery read; default 20. */
  maxPages?: number;
  /** Retry-After of a 429 that survived the client's own retries (e.g. `RateLimitedError.retryAfterMs`). */
  retryAfterOf?: (err: unknown) => number | undefined;
  logger?: Logger;
}

/**
 * The runtime's `MessageUpdater` (`ctx.updateMessage`): each update (`opId`, derived by the framework from the
 * event key and the call's rank) is applied at most once, with the marks idempotent replies use.
 *
 * An update is the same content on every try, but not the same request: it makes a new version with a new id,
 * and Symphony refuses to update a version already replaced. So a retry never re-sends blindly: a `done` mark
 * returns the version the first try made; a `started` mark without `done` (the process died, or the call failed
 * ambiguously, after the pod may have applied it) first reads the stream for the new version, which carries the
 * update's source in its EntityJSON (`batonSource`, `replyIndex: "update"`), and only updates again when it is
 * not there. Only a 429 is retried in place (the pod refused it, nothing changed).
 */
export function createIdempotentUpdates(opts: IdempotentUpdatesOptions): MessageUpdater {
  const { redis, client } = opts;
  const lookbackMs = opts.lookbackMs ?? 5 * 60_000;
  const maxPages = opts.maxPages ?? 20;
  const marks = createSendMarks(redis, { scriptName: 'batonUpdateBeginV1', ttlSec: opts.ttlSec });

  /** The version update `opId` made, read from the stream (oldest first from just before it started). */
  async function findUpdate(
    streamId: string,
    opId: string,
    startedAt: number,
  ): Promise<V4MessageOut | undefined> {
    let since = startedAt - lookbackMs;
    const until = Date.now() + lookbackMs;
    let skip = 0;
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await client.listMessages(streamId, { since, until, skip, limit: PAGE_SIZE });
      const hit = page.find((m) => carriesSource(m.data, opId, UPDATE_SOURCE_INDEX));
      if (hit) return hit;
      const last = page.at(-1)?.timestamp;
      if (page.length < PAGE_SIZE || last === undefined) return undefined;
      const atLast = page.filter((m) => m.timestamp === last).length;
      if (last === since) skip += atLast;
      else {
        since = last;
        skip = atLast;
      }
    }
    opts.logger?.warn(
      { streamId, opId, pages: maxPages },
      'update recovery read hit its page bound: updating again (Symphony refuses it if the first try went through)',
    );
    return undefined;
  }

  const markDone = (key: string, at: number, out: V4MessageOut) =>
    marks.done(key, { at, messageId: out.messageId, timestamp: out.timestamp });

  /** What a retry gets back for an update already made: the new version's id and time (the content as sent). */
  const madeEarlier = (mark: SendMark, streamId: string, messageId: string, msg: OutgoingMessage) => ({
    messageId: mark.messageId as string,
    timestamp: mark.timestamp ?? mark.at,
    message: msg.message,
    stream: { streamId },
    replacing: messageId,
  });

  return {
    async update(streamId, messageId, msg, opId) {
      const key = opts.markKey(opId);
      const mark = await marks.read(key);
      if (mark?.state === 'done' && mark.messageId !== undefined) {
        return madeEarlier(mark, streamId, messageId, msg);
      }
      if (mark?.state === 'started') {
        const found = await findUpdate(streamId, opId, mark.at);
        if (found) {
          await markDone(key, mark.at, found);
          return found;
        }
      }
      await opts.limiter?.acquire(streamId);
      const startedAt = mark?.at ?? Date.now();
      const seen = await marks.begin(key, startedAt);
      if (seen?.state === 'done' && seen.messageId !== undefined) {
        // Another owner of this event finished the update while we waited.
        return madeEarlier(seen, streamId, messageId, msg);
      }
      const source: BatonSource = {
        type: BATON_SOURCE_TYPE,
        version: '1.0',
        eventKey: opId,
        replyIndex: UPDATE_SOURCE_INDEX,
      };
      const body = { message: msg.message, data: { ...(msg.data ?? {}), batonSource: source } };
      const out = await retryRateLimited(
        streamId,
        () => client.updateMessage(streamId, messageId, body, { retry: { maxAttempts: 1 } }),
        opts,
      );
      await markDone(key, startedAt, out);
      return out;
    },
  };
}
