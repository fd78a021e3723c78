import type { SymphonyClient, V4MessageOut } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import type { OutgoingMessage, ReplySender } from '../framework/runtime-services.ts';
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
  forEvent(eventKey: string): ReplySender;
  /** Posts reply `replyIndex` of `eventKey` at most once (the core of `forEvent`). */
  sendOnce(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    msg: OutgoingMessage,
  ): Promise<V4MessageOut | undefined>;
}

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

  async function findPosted(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    startedAt: number,
  ): Promise<V4MessageOut | undefined> {
    const messages = await client.listMessages(streamId, { since: startedAt - lookbackMs, limit: 500 });
    return messages.find((m) => carriesSource(m.data, eventKey, replyIndex));
  }

  async function sendOnce(
    streamId: string,
    eventKey: string,
    replyIndex: number | string,
    msg: OutgoingMessage,
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
      if (found) {
        await redis.set(
          key,
          JSON.stringify({ state: 'done', at: mark.at, messageId: found.messageId }),
          'EX',
          opts.ttlSec,
        );
        opts.onReply?.('recovered', streamId);
        return found;
      }
    }
    await opts.limiter?.acquire(streamId);
    const startedAt = mark?.at ?? Date.now();
    await redis.set(
      key,
      JSON.stringify({ state: 'started', at: startedAt } satisfies Mark),
      'EX',
      opts.ttlSec,
    );
    const source: BatonSource = { type: BATON_SOURCE_TYPE, version: '1.0', eventKey, replyIndex };
    let out: V4MessageOut;
    try {
      out = await client.sendMessage(streamId, {
        message: msg.message,
        data: { ...(msg.data ?? {}), batonSource: source },
      });
    } catch (err) {
      const retryAfter = opts.retryAfterOf?.(err);
      if (retryAfter !== undefined && opts.limiter) await opts.limiter.backOff(streamId, retryAfter);
      throw err;
    }
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
    forEvent(eventKey) {
      let next = 0;
      return {
        send(streamId, msg) {
          const index = next++;
          return sendOnce(streamId, eventKey, index, msg);
        },
      };
    },
  };
}
