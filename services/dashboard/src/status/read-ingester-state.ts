import { ingestKeys } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import type { IngesterStatus } from './dashboard-status.ts';

const FEED_VERSIONS = new Set(['v1', 'v2', 'datahose']);

function numberOrNull(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `<instanceId>|<token>` (the instance id may itself contain `|`: split at the last one). */
export function parseLeaderValue(v: string): { id: string; token: number | null } {
  const bar = v.lastIndexOf('|');
  if (bar < 0) return { id: v, token: null };
  return { id: v.slice(0, bar), token: numberOrNull(v.slice(bar + 1)) };
}

type PipelineResult = [Error | null, unknown][] | null;

/** How long after its read a batch left in hand is shown as awaited (Symphony redelivers after ~30 s). */
const AWAITED_SHOWN_MS = 120_000;

/** The `awaitingRedelivery` record the ingester keeps in its feed hash (`{at, events, by}` JSON), while recent. */
function awaitingRedelivery(raw: string | undefined, now: number): IngesterStatus['awaitingRedelivery'] {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as { at?: unknown; events?: unknown; by?: unknown };
    if (typeof r.at !== 'number' || now - r.at > AWAITED_SHOWN_MS) return null;
    return {
      readAt: r.at,
      events: typeof r.events === 'number' ? r.events : 0,
      readBy: typeof r.by === 'string' ? r.by.split('#')[0] || r.by : '?',
    };
  } catch {
    return null;
  }
}

/**
 * Reads the ingester's state from its keys (one pipeline; the keys share one hash tag, so one slot on Cluster):
 * the leader lease, the stored feed, and the feed-recreation log. `lastReadAt`, `highWater` and `leaderSince` are
 * fields the leader writes into its feed hash (at most once per read); null until it has.
 */
export function createIngesterStateReader(
  redis: Redis | Cluster,
  opts: { prefix: string; clock?: () => number },
) {
  const clock = opts.clock ?? Date.now;
  const keys = ingestKeys(opts.prefix);
  return {
    async read(): Promise<IngesterStatus> {
      const res: PipelineResult = await redis
        .pipeline()
        .get(keys.leader)
        .pttl(keys.leader)
        .hgetall(keys.feed)
        .llen(keys.feedEvents)
        .lindex(keys.feedEvents, 0)
        .exec();
      if (!res) throw new Error('ingester state: pipeline returned nothing');
      for (const [err] of res) if (err) throw err;
      const [leaderRaw, pttl, feedHash, recreations, lastRecreationRaw] = res.map(([, v]) => v) as [
        string | null,
        number,
        Record<string, string>,
        number,
        string | null,
      ];
      const feed = feedHash ?? {};
      const hasFeed = Object.keys(feed).length > 0;
      const lastReadAt = numberOrNull(feed['lastReadAt']);
      let lastRecreation: NonNullable<IngesterStatus['recreations']>['last'] = null;
      if (lastRecreationRaw) {
        try {
          const r = JSON.parse(lastRecreationRaw) as { at?: unknown; reason?: unknown; note?: unknown };
          lastRecreation = {
            at: typeof r.at === 'number' ? r.at : null,
            reason: typeof r.reason === 'string' ? r.reason : null,
            note: typeof r.note === 'string' ? r.note : null,
          };
        } catch {
          lastRecreation = { at: null, reason: 'unparseable entry', note: null };
        }
      }
      return {
        leader: leaderRaw
          ? {
              ...parseLeaderValue(leaderRaw),
              since: numberOrNull(feed['leaderSince']),
              leaseRemainingMs: pttl >= 0 ? pttl : null,
            }
          : null,
        feed: hasFeed
          ? {
              id: feed['feedId'] || null,
              version: feed['version'] && FEED_VERSIONS.has(feed['version']) ? feed['version'] : null,
              lastStoredAt: numberOrNull(feed['updatedAt']),
            }
          : null,
        lastReadAt,
        lastReadAgeMs: lastReadAt === null ? null : Math.max(0, clock() - lastReadAt),
        highWater: numberOrNull(feed['highWater']),
        awaitingRedelivery: awaitingRedelivery(feed['awaitingRedelivery'], clock()),
        recreations: { count: recreations, last: lastRecreation },
      };
    },
  };
}
