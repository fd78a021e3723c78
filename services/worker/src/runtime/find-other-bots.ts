import { parseWorkerHeartbeat, scanKeys, type WorkerHeartbeat } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';

/** Live workers (by heartbeat) on this prefix that run a bot other than `botId`. */
export async function findOtherBots(
  redis: Redis | Cluster,
  opts: { pattern: string; selfKey: string; botId: string },
): Promise<WorkerHeartbeat[]> {
  const keys = (await scanKeys(redis, opts.pattern)).filter((k) => k !== opts.selfKey);
  const beats = await Promise.all(keys.map((k) => redis.get(k)));
  return beats
    .map((raw) => parseWorkerHeartbeat(raw))
    .filter((b): b is WorkerHeartbeat => b !== null && b.bot.id !== opts.botId);
}
