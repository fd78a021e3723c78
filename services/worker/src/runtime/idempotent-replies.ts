import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingMessage, ReplySender } from '@baton/bot';
import { defineScript, RateLimitedError, type SymphonyClient, type V4MessageOut } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import { ReplyInDoubtError, StaleDrainError } from './runtime-errors.ts';
import type { SendLimiter } from './send-limiter.ts';

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
}

interface Mark {
  state: 'started' | 'done';
  at: number;
  messageId?: string;
}

export interface IdempotentReplies {
  /**
   * A fresh sender for one attempt of one event: its n-th `send` maps to the same mark on every attempt,
   * so a retried handler never posts a reply twice.
   */
  forEvent(eventKey: string, guard?: OwnershipGuard): ReplySender;
  /** Posts reply `replyIndex` of `eventKey` at most once (the core of `forEvent`). */
  sendOnce(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    msg: OutgoingMessage,
    guard?: OwnershipGuard,
  ): Promise<V4MessageOut | undefined>;
}

/**
 * Asked right before a post: does this attempt still own its stream (its drain's fencing token is current)?
 * A drain deposed while it was frozen (event loop stall, SIGSTOP, Redis outage) must not post: the stream's new
 * owner answers the event.
 */
export type OwnershipGuard = () => Promise<boolean>;

/**
 * Marks reply `started` unless it is already `done` (one key, atomic): a late or deposed sender can never turn a
 * finished reply back into an unfinished one. Returns the mark that was there (or nil) so the caller can decide.
 */
const BEGIN_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur and string.find(cur, '"state":"done"', 1, true) then return cur end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return cur
`;

function parseMark(raw: string | null): Mark | undefined {
  if (raw === null) return undefined;
  try {
    const m = JSON.parse(raw) as Mark;
    return m && (m.state === 'started' || m.state === 'done') ? m : undefined;
  } catch {
    return undefined;
  }
}

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
  const beginReply = defineScript(redis, 'batonReplyBeginV1', BEGIN_LUA);

  async function findPosted(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    startedAt: number,
  ): Promise<V4MessageOut | undefined> {
    const messages = await client.listMessages(streamId, { since: startedAt - lookbackMs, limit: 500 });
    return messages.find((m) => carriesSource(m.data, eventKey, replyIndex));
  }

  /**
   * One post, never re-sent blindly: only a 429 (the pod refused it, so nothing was posted) is retried here,
   * after its Retry-After. Any other failure (timeout, reset, 5xx) may hide a post that went through, so it
   * fails this attempt; the next attempt finds the `started` mark and looks for the message before posting.
   */
  async function postOnce(streamId: string, body: { message: string; data: Record<string, unknown> }) {
    for (let rateLimited = 0; ; rateLimited++) {
      try {
        return await client.sendMessage(streamId, body, { retry: { maxAttempts: 1 } });
      } catch (err) {
        const retryAfter = opts.retryAfterOf?.(err);
        if (retryAfter !== undefined && opts.limiter) await opts.limiter.backOff(streamId, retryAfter);
        if (!(err instanceof RateLimitedError) || rateLimited >= 5) throw err;
        await sleep(Math.max(err.retryAfterMs ?? 0, 250));
      }
    }
  }

  async function markRecovered(key: string, streamId: string, at: number, found: V4MessageOut) {
    await redis.set(
      key,
      JSON.stringify({ state: 'done', at, messageId: found.messageId }),
      'EX',
      opts.ttlSec,
    );
    opts.onReply?.('recovered', streamId);
    return found;
  }

  async function sendOnce(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    msg: OutgoingMessage,
    guard?: OwnershipGuard,
  ): Promise<V4MessageOut | undefined> {
    const key = opts.markKey(eventKey, replyIndex);
    const mark = parseMark(await redis.get(key));
    if (mark?.state === 'done') {
      opts.onReply?.('skipped-done', streamId);
      return undefined;
    }
    if (mark?.state === 'started') {
      // The process died (or the call failed ambiguously) between the post and the "done" mark.
      const found = await findPosted(streamId, eventKey, replyIndex, mark.at);
      if (found) return markRecovered(key, streamId, mark.at, found);
    }
    await opts.limiter?.acquire(streamId);
    if (guard && !(await guard())) throw new StaleDrainError(streamId);
    const startedAt = mark?.at ?? Date.now();
    const before = (await beginReply(
      1,
      key,
      JSON.stringify({ state: 'started', at: startedAt } satisfies Mark),
      String(opts.ttlSec),
    )) as string | null;
    const seen = parseMark(before);
    if (seen?.state === 'done') {
      // Another owner finished this reply while we waited (limiter, stall): nothing to post.
      opts.onReply?.('skipped-done', streamId);
      return undefined;
    }
    if (seen?.state === 'started' && mark === undefined) {
      // Someone else (a drain deposed after its own check) started this reply since we looked. Its post may
      // still be on the wire: look for it, and if it isn't there yet, retry this attempt later.
      const found = await findPosted(streamId, eventKey, replyIndex, seen.at);
      if (found) return markRecovered(key, streamId, seen.at, found);
      throw new ReplyInDoubtError(streamId, replyIndex);
    }
    const source: BatonSource = { type: BATON_SOURCE_TYPE, version: '1.0', eventKey, replyIndex };
    const out = await postOnce(streamId, {
      message: msg.message,
      data: { ...(msg.data ?? {}), batonSource: source },
    });
    await redis.set(
      key,
      JSON.stringify({ state: 'done', at: startedAt, messageId: out.messageId } satisfies Mark),
      'EX',
      opts.ttlSec,
    );
    opts.onReply?.('posted', streamId);
    return out;
  }

  return {
    sendOnce,
    forEvent(eventKey, guard) {
      let next = 0;
      return {
        send(streamId, msg) {
          const index = next++;
          return sendOnce(streamId, eventKey, index, msg, guard);
        },
      };
    },
  };
}
