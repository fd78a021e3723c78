import type { FastifyInstance, FastifyReply } from 'fastify';
import { TooManyFeedsError } from '../feeds/feed-hub.ts';
import { feedJson } from '../feeds/feed-json.ts';
import type { FeedV1 } from '../feeds/feed-v1.ts';
import type { FeedV2 } from '../feeds/feed-v2.ts';
import type { SimCore } from '../sim-core.ts';
import { SimHttpError } from '../sim-error.ts';
import { clientGone, isClientGone, requireAgentSession } from './session-guard.ts';

const V1_NOT_FOUND = 'Could not find a datafeed with the provided id';
const V2_GONE =
  'Do not retry: the feed no longer exists, please create a new feed. The datafeed has a 30 minutes ttl. ' +
  'Alternatively, the format of the provided ackId may be incorrect.';

const v2Gone = (): SimHttpError => new SimHttpError(400, V2_GONE);

/**
 * Answers a read with events as stored, serialised here rather than by fastify: an injected event nested
 * thousands of levels deep must be delivered (as a real agent would), not make the read a 500 forever.
 */
const sendEvents = (reply: FastifyReply, body: unknown): FastifyReply =>
  reply.type('application/json; charset=utf-8').send(feedJson(body));

/**
 * The long poll: wait until the feed has events, expires, the client leaves, or `holdMs` passes, then run
 * `answer` in the same tick. Readers woken together race for the queue, so what the check saw must be taken
 * before any other reader runs: `answer` is never deferred behind an `await`.
 */
async function holdThen<T>(
  feed: FeedV1 | FeedV2,
  holdMs: number,
  signal: AbortSignal,
  answer: () => T,
): Promise<T> {
  const deadline = Date.now() + holdMs;
  while (feed.queue.length === 0 && !feed.expired && !signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await feed.waiters.wait(left, signal);
  }
  return answer();
}

/** Hold a v2/datahose read until events arrive or `longPollMs` passes; answer `{events, ackId}`. */
async function readV2(core: SimCore, feed: FeedV2, ackId: unknown, reply: FastifyReply) {
  if (ackId !== undefined && ackId !== null && typeof ackId !== 'string') throw v2Gone();
  if (!feed.acknowledge(ackId ?? '')) throw v2Gone();
  feed.touch();
  const signal = clientGone(reply);
  return holdThen(feed, core.opts.longPollMs, signal, () => {
    if (feed.expired) throw v2Gone();
    feed.touch();
    if (signal.aborted || isClientGone(reply)) return reply; // nobody to answer; the events stay queued
    return sendEvents(reply, feed.take(core.opts.maxEventsPerRead));
  });
}

/** Datafeed v1 (agent v4), datafeed v2 (agent v5) and datahose. */
export function registerDatafeedRoutes(app: FastifyInstance, core: SimCore): void {
  const { feeds } = core;

  app.post('/agent/v4/datafeed/create', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    reply.header('X-Warning', '299 - "Datafeed v1 is deprecated, use datafeed v2 (/agent/v5/datafeeds)"');
    return { id: feeds.createV1(uid).id };
  });

  app.get('/agent/v4/datafeed/:id/read', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const feed = feeds.getV1((req.params as { id: string }).id);
    if (!feed || feed.userId !== uid) throw new SimHttpError(400, V1_NOT_FOUND);
    const limitQ = Number((req.query as { limit?: string }).limit);
    const limit = Number.isInteger(limitQ) && limitQ > 0 ? limitQ : core.opts.maxEventsPerRead;
    const signal = clientGone(reply);
    return holdThen(feed, core.opts.longPollMs, signal, () => {
      if (feed.expired) throw new SimHttpError(400, V1_NOT_FOUND);
      if (signal.aborted || isClientGone(reply)) return reply;
      if (feed.queue.length === 0) return reply.code(204).send();
      return sendEvents(reply, feed.take(Math.min(limit, core.opts.maxEventsPerRead)));
    });
  });

  app.post('/agent/v5/datafeeds', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const body = (req.body ?? {}) as { tag?: unknown };
    if (body.tag !== undefined && (typeof body.tag !== 'string' || body.tag.length > 100)) {
      throw new SimHttpError(400, 'tag must be a string of at most 100 characters');
    }
    // Never 403 here, whatever the user has: the limit of 20 live feeds is met on read (see the read route).
    const feed = feeds.createV2(uid, body.tag as string | undefined);
    reply.code(201);
    return { id: feed.id, type: 'fanout' }; // V5Datafeed declares no `tag`: it filters the list, it is not echoed
  });

  app.get('/agent/v5/datafeeds', async (req) => {
    const uid = requireAgentSession(core, req);
    const tag = (req.query as { tag?: string }).tag;
    return feeds.listV2(uid, tag).map((f) => ({
      id: f.id,
      type: 'fanout',
      createdAt: f.createdAt,
    }));
  });

  app.delete('/agent/v5/datafeeds/:id', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const feed = feeds.getV2((req.params as { id: string }).id);
    if (!feed || feed.userId !== uid) throw v2Gone();
    feed.expire('deleted');
    return reply.code(204).send();
  });

  app.post('/agent/v5/datafeeds/:id/read', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const feed = feeds.getV2((req.params as { id: string }).id);
    if (!feed || feed.userId !== uid) throw v2Gone();
    // AG `POST /v5/datafeeds/{datafeedId}/read` → 403 "Too many feeds created. This happens when you reached 20
    // active feeds": a feed beyond the user's 20 oldest live ones is refused at once (no hold, no ack, no touch).
    try {
      feeds.requireReadable(feed);
    } catch (err) {
      if (err instanceof TooManyFeedsError) throw new SimHttpError(403, err.message);
      throw err;
    }
    return readV2(core, feed, ((req.body ?? {}) as { ackId?: unknown }).ackId, reply);
  });

  app.post('/agent/v5/events/read', async (req, reply) => {
    const uid = requireAgentSession(core, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.type !== 'datahose') throw new SimHttpError(400, 'type must be "datahose"');
    const tag = body.tag;
    if (typeof tag !== 'string' || tag.length < 1 || tag.length > 80) {
      throw new SimHttpError(400, 'tag is required (1 to 80 characters)');
    }
    const types = body.eventTypes ?? body.filters;
    if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
      throw new SimHttpError(400, 'eventTypes must list at least one event type');
    }
    const feed = feeds.datahoseFor(uid, tag, types as string[]);
    return readV2(core, feed, body.ackId, reply);
  });
}
