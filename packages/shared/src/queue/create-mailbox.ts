import type { Cluster, Redis } from 'ioredis';
import { CorruptEntryError } from './corrupt-entry-error.ts';
import { createMailboxBacklog } from './create-mailbox-backlog.ts';
import { defineScript, type ScriptFn } from './define-script.ts';
import type {
  AckMark,
  AckResult,
  EnqueueItem,
  EnqueueOptions,
  EnqueueResult,
  Mailbox,
  MailboxHead,
} from './mailbox.ts';
import { MailboxKeys } from './mailbox-keys.ts';
import { ACK_LUA, CLAIM_LUA, CLAIM_PEEK_LUA, ENQUEUE_LUA, FENCE_LUA, PEEK_LUA } from './mailbox-scripts.ts';
import { parseEntry, tryParseEntry } from './parse-entry.ts';
import { assertKeyPrefix } from './queue-names.ts';

export interface MailboxOptions {
  /** Deployment key prefix (e.g. `baton`). */
  prefix: string;
  /** Hash-tag partitions (default 16). Changing it on a live deployment strands pending mailboxes. */
  partitions?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

const COMMANDS = {
  batonMbEnqueueV2: ENQUEUE_LUA,
  batonMbAckV3: ACK_LUA,
  batonMbPeekV2: PEEK_LUA,
  batonMbClaimV1: CLAIM_LUA,
  batonMbClaimPeekV2: CLAIM_PEEK_LUA,
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

/**
 * Per-stream mailboxes over one Redis (standalone, Sentinel or Cluster): see mailbox.ts. This file is the
 * write/consume protocol (enqueue, claim, peek, ack, fence); the read-only backlog queries are in
 * create-mailbox-backlog.ts.
 */
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
  ): Promise<{ fenced: boolean; added: number; duplicates: number; moved: number; fresh: string[] }> {
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
      const ts =
        typeof item.ts === 'number' && Number.isFinite(item.ts) && item.ts >= 0
          ? Math.floor(item.ts)
          : undefined;
      // Key order matters: the scripts read `{"seq":N,"receivedAt":T,"ts":E,` by pattern; the script prepends
      // seq.
      const body = JSON.stringify({
        receivedAt,
        ...(ts !== undefined ? { ts } : {}),
        v: 1,
        key: item.key,
        streamId: item.streamId,
        ...(item.trace ? { trace: item.trace } : {}),
        event: item.event,
      });
      itemArgs.push(idx, receivedAt, ts ?? '', body.slice(1));
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
    const reply = (await scripts.batonMbEnqueueV2(
      keyList.length,
      ...keyList,
      opts.leaderToken ?? '',
      Math.max(1, Math.ceil(opts.dedupTtlSec)),
      streamIds.length,
      items.length,
      ...itemArgs,
      ...streamIds,
    )) as [number, number?, number?, ...string[]];
    if (reply[0] === -1) return { fenced: true, added: 0, duplicates: 0, moved: 0, fresh: [] };
    const [added, duplicates = 0, moved = 0, ...fresh] = reply;
    return { fenced: false, added, duplicates, moved, fresh };
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
        keys.handled(p),
        keys.handed(p),
        keys.processed(p, eventKey),
      ];
    },

    async enqueue(items, opts): Promise<EnqueueResult> {
      if (items.length === 0) return { added: 0, duplicates: 0, moved: 0, freshStreams: [], fenced: false };
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
      const out: EnqueueResult = { added: 0, duplicates: 0, moved: 0, freshStreams: [], fenced: false };
      for (const r of results) {
        out.added += r.added;
        out.duplicates += r.duplicates;
        out.moved += r.moved;
        out.freshStreams.push(...r.fresh);
        out.fenced ||= r.fenced;
      }
      return out;
    },

    async peek(streamId) {
      const p = keys.partitionOf(streamId);
      const [raw, late, processed] = (await scripts.batonMbPeekV2(
        2,
        keys.list(p, streamId),
        keys.handled(p),
        streamId,
        keys.processedPrefix(p),
      )) as [string | null, number, number];
      return raw === null
        ? null
        : { ...parseEntry(streamId, raw), late: late === 1, processed: processed === 1 };
    },

    async claim(streamId) {
      const p = keys.partitionOf(streamId);
      const token = await scripts.batonMbClaimV1(2, keys.claims(p), keys.active(p), streamId);
      return String(token);
    },

    async claimAndPeek(streamId) {
      const p = keys.partitionOf(streamId);
      const [token, raw, late, processed, maybeStarted] = (await scripts.batonMbClaimPeekV2(
        5,
        keys.claims(p),
        keys.active(p),
        keys.list(p, streamId),
        keys.handled(p),
        keys.handed(p),
        streamId,
        keys.processedPrefix(p),
      )) as [string, string | null, number, number, number];
      if (raw === null) return { token: String(token), head: null };
      try {
        const head = {
          ...parseEntry(streamId, raw),
          late: late === 1,
          processed: processed === 1,
          maybeStarted: maybeStarted === 1,
        };
        return { token: String(token), head };
      } catch (err) {
        if (err instanceof CorruptEntryError) return { token: String(token), head: err };
        throw err;
      }
    },

    async holds(streamId, token) {
      const p = keys.partitionOf(streamId);
      return (await redis.hget(keys.active(p), streamId)) === token;
    },

    async ack(streamId, seq, token, mark?: AckMark): Promise<AckResult> {
      const p = keys.partitionOf(streamId);
      const markKeys = mark ? [keys.processed(p, mark.eventKey)] : [];
      const reply = (await scripts.batonMbAckV3(
        6 + markKeys.length,
        keys.list(p, streamId),
        keys.pending(p),
        keys.backlog(p),
        keys.active(p),
        keys.handled(p),
        keys.handed(p),
        ...markKeys,
        streamId,
        String(seq),
        token,
        keys.processedPrefix(p),
        mark?.outcome ?? '',
        mark ? Math.max(1, Math.ceil(mark.ttlSec)) : 0,
      )) as [number, (string | null)?, number?, number?];
      const [code, head, late, processed] = reply;
      const hasMore = typeof head === 'string';
      if (code === -1) return { status: 'fenced', next: null, hasMore: false };
      const parsed = tryParseEntry(streamId, head);
      const next: MailboxHead | null = parsed
        ? { ...parsed, late: late === 1, processed: processed === 1 }
        : null;
      return { status: code === 1 ? 'acked' : 'mismatch', next, hasMore };
    },

    async fence(leaderToken) {
      await Promise.all(all.map((p) => scripts.batonMbFenceV1(1, keys.fence(p), leaderToken)));
    },

    ...createMailboxBacklog(redis, keys, partitions, now),
  };
}
