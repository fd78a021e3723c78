import type { Cluster, Redis } from 'ioredis';
import { batonKeys } from './baton-keys.ts';
import type { LiveWorker } from './dashboard-status.ts';
import { scanKeys } from './scan-keys.ts';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parses one heartbeat value (JSON written by the worker's heartbeat); null when it is not usable. */
export function parseHeartbeat(key: string, prefix: string, raw: string | null): LiveWorker | null {
  if (raw === null) return null;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) {
    if (
      typeof v === 'number' &&
      Number.isFinite(v) &&
      !['pid', 'startedAt', 'beatAt', 'concurrency'].includes(k)
    ) {
      stats[k] = v;
    }
  }
  return {
    id: typeof b['id'] === 'string' ? b['id'] : key.slice(batonKeys(prefix).workerHeartbeat('').length),
    host: typeof b['host'] === 'string' ? b['host'] : null,
    pid: num(b['pid']),
    startedAt: num(b['startedAt']),
    beatAt: num(b['beatAt']),
    concurrency: num(b['concurrency']),
    stats,
  };
}

/**
 * Lists live workers from their heartbeat keys `<prefix>:workers:<id>` (JSON with a TTL, written by the worker
 * runtime). The key list comes from SCAN, cached for `rescanMs` (SCAN walks the whole keyspace, so not on every
 * refresh, unless none is known); each known key is then read with GET, so a dead worker disappears as soon as its
 * key expires.
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
        keys = await scanKeys(redis, batonKeys(opts.prefix).workerHeartbeatPattern);
        scannedAt = clock();
      }
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      const live: LiveWorker[] = [];
      keys.forEach((k, i) => {
        const w = parseHeartbeat(k, opts.prefix, values[i] ?? null);
        if (w) live.push(w);
      });
      // Expired keys are forgotten now rather than at the next rescan.
      keys = keys.filter((_, i) => values[i] != null);
      return live.sort((a, b) => a.id.localeCompare(b.id));
    },
  };
}
