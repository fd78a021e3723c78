import { parseWorkerHeartbeat, scanKeys, workerKeys } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';
import type { LiveWorker } from './dashboard-status.ts';

/** Parses one heartbeat value (the shared `WorkerHeartbeat` format); null when it is not usable. */
export function parseHeartbeat(raw: string | null): LiveWorker | null {
  const beat = parseWorkerHeartbeat(raw);
  if (!beat) return null;
  return {
    id: beat.id,
    host: beat.host,
    pid: beat.pid,
    startedAt: beat.startedAt,
    beatAt: beat.beatAt,
    concurrency: beat.concurrency,
    bot: beat.bot,
    stats: beat.stats,
    latency: beat.latency ?? null,
  };
}

/**
 * Lists live workers from their heartbeat keys `<prefix>:workers:<id>` (JSON with a TTL, written by the worker
 * runtime). The key list comes from SCAN (on a Cluster, on every slot's master from a freshly refreshed slot map:
 * see `scanKeys`), cached for `rescanMs` (SCAN walks the whole keyspace, so not on every refresh); each known key
 * is then read with GET, so a dead worker disappears as soon as its key expires. The list is scanned again at
 * once when no worker is known, and at the next read after a known key was gone (a worker stopped, or its key
 * expired while its master failed over and the worker writes it again now). A scan that cannot reach every
 * master fails the read (the page shows the error) instead of caching part of the list.
 */
export function createLiveWorkersReader(
  redis: Redis | Cluster,
  opts: { prefix: string; rescanMs: number; clock?: () => number },
) {
  const clock = opts.clock ?? Date.now;
  let keys: string[] = [];
  let scannedAt = Number.NEGATIVE_INFINITY;
  return {
    async read(): Promise<LiveWorker[]> {
      // With no known worker, list again every time (so a Redis outage shows as an error, not as "0 workers").
      if (keys.length === 0 || clock() - scannedAt >= opts.rescanMs) {
        keys = await scanKeys(redis, workerKeys(opts.prefix).heartbeatPattern());
        scannedAt = clock();
      }
      // A read that outlived its caller's timeout may finish after a newer one: it works on its own list.
      const known = keys;
      const values = await Promise.all(known.map((k) => redis.get(k)));
      const live: LiveWorker[] = [];
      for (const raw of values) {
        const w = parseHeartbeat(raw ?? null);
        if (w) live.push(w);
      }
      const present = known.filter((_, i) => values[i] != null);
      if (present.length < known.length) {
        // Expired keys are forgotten now, and the list is scanned again at the next read.
        if (keys === known) keys = present;
        scannedAt = Number.NEGATIVE_INFINITY;
      }
      return live.sort((a, b) => a.id.localeCompare(b.id));
    },
  };
}
