import {
  type BotIdentityBeat,
  type LatencyBuckets,
  WORKER_HEARTBEAT_VERSION,
  type WorkerHeartbeat,
  WorkerHeartbeatSchema,
} from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';

export interface WorkerHeartbeatInfo {
  id: string;
  pid: number;
  host: string;
  startedAt: number;
  concurrency: number;
  bot: BotIdentityBeat;
}

/**
 * Refreshes `workers:<id>` (a `WorkerHeartbeat`, validated before it is written, with TTL) so the dashboard
 * and the other workers see who is live and which bot it runs; deleted on stop.
 */
export function createHeartbeat(
  redis: Redis | Cluster,
  opts: {
    key: string;
    info: WorkerHeartbeatInfo;
    intervalMs: number;
    /** Live numbers added to each beat (active drains, handled events…). */
    stats?: () => Record<string, number>;
    /** Reply-latency buckets since start, added to each beat when given. */
    latency?: () => LatencyBuckets;
    onError?: (err: unknown) => void;
  },
): { start(): Promise<void>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const ttlMs = opts.intervalMs * 3;
  const beat = async () => {
    const body: WorkerHeartbeat = WorkerHeartbeatSchema.parse({
      v: WORKER_HEARTBEAT_VERSION,
      ...opts.info,
      stats: opts.stats?.() ?? {},
      ...(opts.latency ? { latency: opts.latency() } : {}),
      beatAt: Date.now(),
    });
    await redis.set(opts.key, JSON.stringify(body), 'PX', ttlMs);
  };
  return {
    async start() {
      await beat();
      timer = setInterval(() => {
        beat().catch((err) => opts.onError?.(err));
      }, opts.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await redis.del(opts.key).catch((err) => opts.onError?.(err));
    },
  };
}
