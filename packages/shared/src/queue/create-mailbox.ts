import type { Cluster, Redis } from 'ioredis';
import { CorruptEntryError } from './corrupt-entry-error.ts';
import { defineScript, type ScriptFn } from './define-script.ts';
import type { AckResult, Backlog, EnqueueItem, EnqueueOptions, EnqueueResult, Mailbox } from './mailbox.ts';
import { MailboxKeys } from './mailbox-keys.ts';
import { ACK_LUA, CLAIM_LUA, ENQUEUE_LUA, FENCE_LUA } from './mailbox-scripts.ts';
import { assertKeyPrefix } from './queue-names.ts';
import { type QueuedEvent, QueuedEventSchema } from './queued-event.ts';

export interface MailboxOptions {
  /** Deployment key prefix (e.g. `baton`). */
  prefix: string;
  /** Hash-tag partitions (default 16). Changing it on a live deployment strands pending mailboxes. */
  partitions?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

const COMMANDS = {
  batonMbEnqueueV1: ENQUEUE_LUA,
  batonMbAckV1: ACK_LUA,
  batonMbClaimV1: CLAIM_LUA,
  batonMbFenceV1: FENCE_LUA,
} as const;
type CommandName = keyof typeof COMMANDS;

function defineScripts(redis: Redis | Cluster): Record<CommandName, ScriptFn> {
  const out = {} as Record<CommandName, ScriptFn>;
  for (const [name, lua] of Object.entries(COMMANDS) as [CommandName, string][]) {
    out[name] = defineScript(redis, name, lua);
  }
  return out;
}

/** Parses a raw mailbox entry; throws CorruptEntryError. */
export function parseEntry(streamId: string, raw: string): QueuedEvent {
  const seqMatch = /^\{"seq":(\d+),/.exec(raw);
  const seq = seqMatch?.[1] !== undefined ? Number(seqMatch[1]) : null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new CorruptEntryError(streamId, raw, seq, `not JSON: ${(err as Error).message}`);
  }
  const parsed = QueuedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptEntryError(
      streamId,
      raw,
      seq,
      `schema: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}`,
    );
  }
  if (parsed.data.streamId !== streamId) {
    throw new CorruptEntryError(streamId, raw, seq, `entry belongs to stream ${parsed.data.streamId}`);
  }
  return parsed.data;
}

function tryParse(streamId: string, raw: unknown): QueuedEvent | null {
  if (typeof raw !== 'string') return null;
  try {
    return parseEntry(streamId, raw);
  } catch {
    return null;
  }
}

/** The rows of a backlog zset read WITHSCORES (`[member, score, member, score, ...]`). */
function withScores(flat: string[]): { streamId: string; score: number }[] {
  const rows: { streamId: string; score: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    rows.push({ streamId: flat[i] as string, score: Number(flat[i + 1]) });
  return rows;
}

/** Per-stream mailboxes over one Redis (standalone, Sentinel or Cluster): see mailbox.ts. */
export function createMailbox(redis: Redis | Cluster, options: MailboxOptions): Mailbox {
  assertKeyPrefix(options.prefix);
  const partitions = options.partitions ?? 16;
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new TypeError('partitions must be a positive integer');
  const keys = new MailboxKeys(options.prefix, partitions);
  const now = options.now ?? Date.now;
  const scripts = defineScripts(redis);
  const all = Array.from({ length: partitions }, (_, p) => p);

  async function enqueuePartition(
    p: number,
    items: EnqueueItem[],
    opts: EnqueueOptions,
    receivedAtDefault: number,
  ): Promise<{ fenced: boolean; added: number; duplicates: number; fresh: string[] }> {
    const streamIndex = new Map<string, number>();
    const streamIds: string[] = [];
    const itemArgs: (string | number)[] = [];
    const seenKeys: string[] = [];
    for (const item of items) {
      let idx = streamIndex.get(item.streamId);
      if (idx === undefined) {
        streamIds.push(item.streamId);
        idx = streamIds.length;
        streamIndex.set(item.streamId, idx);
      }
      const receivedAt = Math.floor(item.receivedAt ?? receivedAtDefault);
      // Key order matters: the scripts read `{"seq":N,"receivedAt":T,` by pattern; the script prepends seq.
      const body = JSON.stringify({
        receivedAt,
        v: 1,
        key: item.key,
        streamId: item.streamId,
        event: item.event,
      });
      itemArgs.push(idx, receivedAt, body.slice(1));
      seenKeys.push(keys.seen(p, item.key));
    }
    const keyList = [
      keys.pending(p),
      keys.backlog(p),
      keys.seq(p),
      keys.fence(p),
      ...streamIds.map((s) => keys.list(p, s)),
      ...seenKeys,
    ];
    const reply = (await scripts.batonMbEnqueueV1(
      keyList.length,
      ...keyList,
      opts.leaderToken ?? '',
      Math.max(1, Math.ceil(opts.dedupTtlSec)),
      streamIds.length,
      items.length,
      ...itemArgs,
      ...streamIds,
    )) as [number, number?, ...string[]];
    if (reply[0] === -1) return { fenced: true, added: 0, duplicates: 0, fresh: [] };
    const [added, duplicates = 0, ...fresh] = reply;
    return { fenced: false, added, duplicates, fresh };
  }

  return {
    keysFor(streamId, eventKey = 'k') {
      const p = keys.partitionOf(streamId);
      return [
        keys.list(p, streamId),
        keys.seen(p, eventKey),
        keys.seq(p),
        keys.pending(p),
        keys.backlog(p),
        keys.fence(p),
        keys.claims(p),
        keys.active(p),
      ];
    },

    async enqueue(items, opts): Promise<EnqueueResult> {
      if (items.length === 0) return { added: 0, duplicates: 0, freshStreams: [], fenced: false };
      const byPartition = new Map<number, EnqueueItem[]>();
      for (const item of items) {
        if (!item.streamId || !item.key)
          throw new TypeError('enqueue: every item needs a key and a streamId');
        const p = keys.partitionOf(item.streamId);
        let list = byPartition.get(p);
        if (!list) {
          list = [];
          byPartition.set(p, list);
        }
        list.push(item);
      }
      const t = now();
      const results = await Promise.all(
        [...byPartition].map(([p, list]) => enqueuePartition(p, list, opts, t)),
      );
      const out: EnqueueResult = { added: 0, duplicates: 0, freshStreams: [], fenced: false };
      for (const r of results) {
        out.added += r.added;
        out.duplicates += r.duplicates;
        out.freshStreams.push(...r.fresh);
        out.fenced ||= r.fenced;
      }
      return out;
    },

    async peek(streamId) {
      const raw = await redis.lindex(keys.list(keys.partitionOf(streamId), streamId), 0);
      return raw === null ? null : parseEntry(streamId, raw);
    },

    async claim(streamId) {
      const p = keys.partitionOf(streamId);
      const token = await scripts.batonMbClaimV1(2, keys.claims(p), keys.active(p), streamId);
      return String(token);
    },

    async holds(streamId, token) {
      const p = keys.partitionOf(streamId);
      return (await redis.hget(keys.active(p), streamId)) === token;
    },

    async ack(streamId, seq, token): Promise<AckResult> {
      const p = keys.partitionOf(streamId);
      const reply = (await scripts.batonMbAckV1(
        4,
        keys.list(p, streamId),
        keys.pending(p),
        keys.backlog(p),
        keys.active(p),
        streamId,
        String(seq),
        token,
      )) as [number, (string | null)?];
      const [code, head] = reply;
      const hasMore = typeof head === 'string';
      if (code === -1) return { status: 'fenced', next: null, hasMore: false };
      const next = tryParse(streamId, head);
      return { status: code === 1 ? 'acked' : 'mismatch', next, hasMore };
    },

    async fence(leaderToken) {
      await Promise.all(all.map((p) => scripts.batonMbFenceV1(1, keys.fence(p), leaderToken)));
    },

    async backlog(): Promise<Backlog> {
      const t = now();
      const rows = await Promise.all(
        all.map(async (p) => {
          const [pending, streams, oldest] = await Promise.all([
            redis.get(keys.pending(p)),
            redis.zcard(keys.backlog(p)),
            redis.zrange(keys.backlog(p), 0, 0, 'WITHSCORES'),
          ]);
          return {
            pending: Number(pending ?? 0),
            streams,
            oldest: oldest[1] !== undefined ? Number(oldest[1]) : null,
          };
        }),
      );
      let pending = 0;
      let streams = 0;
      let oldest: number | null = null;
      for (const r of rows) {
        pending += r.pending;
        streams += r.streams;
        if (r.oldest !== null && (oldest === null || r.oldest < oldest)) oldest = r.oldest;
      }
      return { pending, streams, oldestAgeMs: oldest === null ? null : Math.max(0, t - oldest) };
    },

    async topStreams(n) {
      if (n <= 0) return [];
      const t = now();
      const perPartition = await Promise.all(
        all.map(async (p) => {
          const flat = await redis.zrange(keys.backlog(p), 0, n - 1, 'WITHSCORES');
          return withScores(flat).map((r) => ({ ...r, p }));
        }),
      );
      const oldest = perPartition
        .flat()
        .sort((a, b) => a.score - b.score)
        .slice(0, n);
      const lengths = await Promise.all(oldest.map((r) => redis.llen(keys.list(r.p, r.streamId))));
      return oldest.map((r, i) => ({
        streamId: r.streamId,
        pending: lengths[i] ?? 0,
        oldestAgeMs: Math.max(0, t - r.score),
      }));
    },

    async streamsWaitingLongerThan(ms, limit) {
      if (limit <= 0) return [];
      const cutoff = now() - ms;
      const perPartition = await Promise.all(
        all.map(async (p) => {
          const flat = await redis.zrangebyscore(
            keys.backlog(p),
            '-inf',
            cutoff,
            'WITHSCORES',
            'LIMIT',
            0,
            limit,
          );
          return withScores(flat);
        }),
      );
      return perPartition
        .flat()
        .sort((a, b) => a.score - b.score)
        .slice(0, limit)
        .map((r) => r.streamId);
    },

    async length(streamId) {
      return redis.llen(keys.list(keys.partitionOf(streamId), streamId));
    },
  };
}
