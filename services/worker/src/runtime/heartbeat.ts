import type { Cluster, Redis } from 'ioredis';

export interface WorkerHeartbeatInfo {
  id: string;
  pid: number;
  host: string;
  startedAt: number;
  concurrency: number;
}

/** Refreshes `workers:<id>` (JSON, with TTL) so the dashboard can list live workers; deleted on stop. */
export function createHeartbeat(
  redis: Redis | Cluster,
  opts: {
    key: string;
    info: WorkerHeartbeatInfo;
    intervalMs: number;
    /** Live numbers added to each beat (active drains, handled events…). */
    stats?: () => Record<string, number>;
    onError?: (err: unknown) => void;
  },
): { start(): Promise<void>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const ttlMs = opts.intervalMs * 3;
  const beat = async () => {
    const body = { ...opts.info, ...(opts.stats?.() ?? {}), beatAt: Date.now() };
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
