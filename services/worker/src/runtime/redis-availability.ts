import { withTimeout } from '@baton/shared';
import { Cluster, type Redis } from 'ioredis';

/** Whether Baton's own Redis answers, seen from one client (the worker's). */
export interface RedisAvailability {
  /**
   * Resolves true when Redis answers now: the client is connected and a PING to it (to every master of a
   * Cluster) answers within `timeoutMs`. Never rejects.
   */
  probe(timeoutMs?: number): Promise<boolean>;
  /** Whether the client was disconnected at some moment since `sinceMs` (epoch ms), or is now. */
  lostSince(sinceMs: number): boolean;
  /** Removes the listeners this added to the client. */
  close(): void;
}

/** How long a probe waits for its PINGs by default (a PING of a live Redis takes well under a millisecond). */
export const REDIS_PROBE_TIMEOUT_MS = 1_000;

/**
 * Tracks a client's connection (its `close`/`reconnecting`/`end` events, and a Cluster's `node error`s) and
 * probes it with PING: the drain asks it whether a failed attempt was Baton's Redis failing, and when Redis
 * answers again; readiness asks it too.
 */
export function createRedisAvailability(
  redis: Redis | Cluster,
  opts: { clock?: () => number } = {},
): RedisAvailability {
  const clock = opts.clock ?? Date.now;
  let lostAt = Number.NEGATIVE_INFINITY;
  const lost = () => {
    lostAt = clock();
  };
  const events = [
    'close',
    'reconnecting',
    'end',
    ...(redis instanceof Cluster ? ['node error', '-node'] : []),
  ];
  for (const e of events) redis.on(e, lost);
  const connected = () => redis.status === 'ready';

  return {
    async probe(timeoutMs = REDIS_PROBE_TIMEOUT_MS) {
      if (!connected()) return false;
      const nodes: Array<Redis | Cluster> = redis instanceof Cluster ? redis.nodes('master') : [redis];
      if (nodes.length === 0) return false;
      try {
        await withTimeout(
          Promise.all(nodes.map((n) => n.ping())),
          timeoutMs,
          () => new Error('redis probe timed out'), // caught below: a probe never rejects
        );
        return connected();
      } catch {
        return false;
      }
    },
    lostSince(sinceMs) {
      return !connected() || lostAt >= sinceMs;
    },
    close() {
      for (const e of events) redis.off(e, lost);
    },
  };
}
