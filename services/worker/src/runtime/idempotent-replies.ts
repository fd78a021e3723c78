import type { OutgoingMessage, ReplySender } from '@baton/bot';
import type { Logger, SymphonyClient, V4MessageOut } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import { retryRateLimited } from './retry-rate-limited.ts';
import { ReplyInDoubtError, StaleDrainError } from './runtime-errors.ts';
import type { SendLimiter } from './send-limiter.ts';
import { createSendMarks } from './send-mark.ts';

/** The EntityJSON entry every reply carries (invisible to users) so a retry can find an already posted reply. */
export const BATON_SOURCE_TYPE = 'org.baton.source';

export interface BatonSource {
  type: typeof BATON_SOURCE_TYPE;
  version: '1.0';
  eventKey: string;
  replyIndex: number | string;
}

export type ReplyOutcome = 'posted' | 'skipped-done' | 'recovered';

export interface IdempotentRepliesOptions {
  redis: Redis | Cluster;
  client: SymphonyClient;
  limiter?: SendLimiter;
  /** Key of the started/done mark of reply `replyIndex` of `eventKey`. */
  markKey: (eventKey: string, replyIndex: number | string) => string;
  /** Lifetime of the marks (at least the ingester's dedup window). */
  ttlSec: number;
  /** How far before the "post started" time the recovery read looks (clock skew between worker and pod). */
  lookbackMs?: number;
  /** Retry-After of a 429 that survived the client's own retries (e.g. `RateLimitedError.retryAfterMs`). */
  retryAfterOf?: (err: unknown) => number | undefined;
  onReply?: (outcome: ReplyOutcome, streamId: string) => void;
  /**
   * Searched first by the recovery read: from this long before the "post started" time forwards (where the
   * reply almost always is), then the rest of the lookback window. Default 30 s.
   */
  nearMs?: number;
  /** At most this many pages (of 500 messages) per recovery read; default 20 (10,000 messages). */
  maxPages?: number;
  /** Every recovery read (a retry that found a `started` mark), with what it scanned. */
  onRecoveryScan?: (scan: RecoveryScan, streamId: string) => void;
  /** Logs a recovery read that hit its page bound (warn). */
  logger?: Logger;
}

/**
 * One recovery read: `found` (the reply is in the stream: not posted again), `absent` (the whole window was
 * read and the reply is not there: it is posted) or `truncated` (the page bound was hit before the window was
 * read to its end: the reply is posted, and may appear twice; see docs/worker.md).
 */
export interface RecoveryScan {
  outcome: 'found' | 'absent' | 'truncated';
  pages: number;
  messages: number;
}

/** The agent returns at most 500 messages per call. */
const PAGE_SIZE = 500;

export interface IdempotentReplies {
  /**
   * A fresh sender for one attempt of one event: its n-th `send` maps to the same mark on every attempt,
   * so a retried handler never posts a reply twice.
   */
  forEvent(eventKey: string, guard?: OwnershipGuard, options?: SendOptions): ReplySender;
  /** Posts reply `replyIndex` of `eventKey` at most once (the core of `forEvent`). */
  sendOnce(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    msg: OutgoingMessage,
    guard?: OwnershipGuard,
    options?: SendOptions,
  ): Promise<V4MessageOut | undefined>;
}

export interface SendOptions {
  /**
   * The caller knows no attempt before this one can have marked the reply (the first attempt of an event no
   * other drain had: one the drain's own ack returned, or a first head the claim says no drain has seen). The
   * mark is then not read first: the send limiter
   * and the ownership check go out in one round trip, and the `started` script's answer (the mark it found) is
   * the check. Wrongly set, nothing doubles: a `started` mark found there is the in-doubt case (the recovery
   * read, then `ReplyInDoubtError` and a retry that reads the mark first).
   */
  fresh?: boolean;
}

/**
 * Asked right before a post: does this attempt still own its stream (its drain's fencing token is current)?
 * A drain deposed while it was frozen (event loop stall, SIGSTOP, Redis outage) must not post: the stream's new
 * owner answers the event.
 */
export type OwnershipGuard = () => Promise<boolean>;

/** True when `data` (the EntityJSON string or object of a listed message) carries this reply's source. */
export function carriesSource(data: unknown, eventKey: string, replyIndex: number | string): boolean {
  let parsed: unknown = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return false;
    }
  }
  if (!parsed || typeof parsed !== 'object') return false;
  const src = (parsed as { batonSource?: Partial<BatonSource> }).batonSource;
  return src?.eventKey === eventKey && String(src.replyIndex) === String(replyIndex);
}

export function createIdempotentReplies(opts: IdempotentRepliesOptions): IdempotentReplies {
  const { redis, client } = opts;
  const lookbackMs = opts.lookbackMs ?? 5 * 60_000;
  const marks = createSendMarks(redis, { scriptName: 'batonReplyBeginV1', ttlSec: opts.ttlSec });

  const nearMs = Math.min(opts.nearMs ?? 30_000, lookbackMs);
  const maxPages = opts.maxPages ?? 20;

  /**
   * Reads `[since, until]` of the stream oldest first, page by page, as the spec pages the message list
   * (since = the last timestamp seen, skip = how many with exactly that timestamp were seen), until `match`
   * is found, the window ends, or `budget.pages` is spent.
   */
  async function scanWindow(
    streamId: string,
    window: { since: number; until: number },
    match: (m: V4MessageOut) => boolean,
    budget: { pages: number; used: number; messages: number },
  ): Promise<V4MessageOut | 'absent' | 'truncated'> {
    let since = window.since;
    let skip = 0;
    for (;;) {
      if (budget.used >= budget.pages) return 'truncated';
      budget.used++;
      const page = await client.listMessages(streamId, {
        since,
        until: window.until,
        skip,
        limit: PAGE_SIZE,
      });
      budget.messages += page.length;
      const hit = page.find(match);
      if (hit) return hit;
      const last = page.at(-1)?.timestamp;
      if (page.length < PAGE_SIZE || last === undefined || last > window.until) return 'absent';
      const atLast = page.filter((m) => m.timestamp === last).length;
      if (last === since) skip += atLast;
      else {
        since = last;
        skip = atLast;
      }
    }
  }

  /**
   * Looks for reply `replyIndex` of `eventKey` posted by a sender that set its `started` mark at `startedAt`.
   * The message list is oldest first (no newest-first order in the API), so it reads the likely part first:
   * from `nearMs` before `startedAt` to now (plus the clock-skew allowance), then the older rest of the
   * window. Both are paged; the whole read is bounded by `maxPages`.
   */
  async function findPosted(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    startedAt: number,
  ): Promise<{ found?: V4MessageOut; scan: RecoveryScan }> {
    const match = (m: V4MessageOut) => carriesSource(m.data, eventKey, replyIndex);
    const budget = { pages: maxPages, used: 0, messages: 0 };
    const from = startedAt - lookbackMs;
    const near = startedAt - nearMs;
    let result = await scanWindow(streamId, { since: near, until: Date.now() + lookbackMs }, match, budget);
    if (result === 'absent' && near > from) {
      result = await scanWindow(streamId, { since: from, until: near - 1 }, match, budget);
    }
    const found = typeof result === 'object' ? result : undefined;
    const scan: RecoveryScan = {
      outcome: found ? 'found' : (result as 'absent' | 'truncated'),
      pages: budget.used,
      messages: budget.messages,
    };
    opts.onRecoveryScan?.(scan, streamId);
    if (scan.outcome === 'truncated') {
      opts.logger?.warn(
        { streamId, eventKey, replyIndex: String(replyIndex), pages: scan.pages, messages: scan.messages },
        'reply recovery read hit its page bound before the end of its window: posting the reply (it may appear twice)',
      );
    }
    return found ? { found, scan } : { scan };
  }

  /** One post, never re-sent blindly (`retryRateLimited`). */
  async function postOnce(
    streamId: string,
    body: { message: string; data: Record<string, unknown>; attachments?: OutgoingMessage['attachments'] },
    guard: OwnershipGuard | undefined,
  ) {
    return retryRateLimited(
      streamId,
      () => client.sendMessage(streamId, body, { retry: { maxAttempts: 1 } }),
      opts,
      // The wait can outlast this drain's ownership (a stall, a Redis restart): the stream's new owner, which
      // found nothing posted, answers the event. Posting now would double the reply.
      async () => {
        if (guard && !(await guard())) throw new StaleDrainError(streamId);
      },
    );
  }

  async function markRecovered(key: string, streamId: string, at: number, found: V4MessageOut) {
    await marks.done(key, { at, messageId: found.messageId });
    opts.onReply?.('recovered', streamId);
    return found;
  }

  const sendOnce: IdempotentReplies['sendOnce'] = async (
    streamId,
    eventKey,
    replyIndex,
    msg,
    guard,
    options,
  ) => {
    const key = opts.markKey(eventKey, replyIndex);
    const fresh = options?.fresh === true;
    const mark = fresh ? undefined : await marks.read(key);
    if (mark?.state === 'done') {
      opts.onReply?.('skipped-done', streamId);
      return undefined;
    }
    if (mark?.state === 'started') {
      // The process died (or the call failed ambiguously) between the post and the "done" mark.
      const { found } = await findPosted(streamId, eventKey, replyIndex, mark.at);
      if (found) return markRecovered(key, streamId, mark.at, found);
    }
    if (fresh && guard && opts.limiter) {
      // The token and the ownership check in one round trip (the check runs again after a wait).
      if (!(await opts.limiter.acquireChecked(streamId, guard))) throw new StaleDrainError(streamId);
    } else {
      await opts.limiter?.acquire(streamId);
      if (guard && !(await guard())) throw new StaleDrainError(streamId);
    }
    const startedAt = mark?.at ?? Date.now();
    const seen = await marks.begin(key, startedAt);
    if (seen?.state === 'done') {
      // Another owner finished this reply while we waited (limiter, stall): nothing to post.
      opts.onReply?.('skipped-done', streamId);
      return undefined;
    }
    if (seen?.state === 'started' && mark === undefined) {
      // Someone else (a drain deposed after its own check) started this reply since we looked. Its post may
      // still be on the wire: look for it, and if it isn't there yet, retry this attempt later.
      const { found } = await findPosted(streamId, eventKey, replyIndex, seen.at);
      if (found) return markRecovered(key, streamId, seen.at, found);
      throw new ReplyInDoubtError(streamId, replyIndex);
    }
    const source: BatonSource = { type: BATON_SOURCE_TYPE, version: '1.0', eventKey, replyIndex };
    // Files travel in the same post as the source mark: a recovery that finds the message found its files too.
    const out = await postOnce(
      streamId,
      {
        message: msg.message,
        data: { ...(msg.data ?? {}), batonSource: source },
        ...(msg.attachments?.length ? { attachments: msg.attachments } : {}),
      },
      guard,
    );
    await marks.done(key, { at: startedAt, messageId: out.messageId });
    opts.onReply?.('posted', streamId);
    return out;
  };

  return {
    sendOnce,
    forEvent(eventKey, guard, options) {
      let next = 0;
      return {
        send(streamId, msg) {
          const index = next++;
          return sendOnce(streamId, eventKey, index, msg, guard, options);
        },
      };
    },
  };
}
