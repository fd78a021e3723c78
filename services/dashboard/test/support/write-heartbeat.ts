import { WORKER_HEARTBEAT_VERSION, type WorkerHeartbeat, workerKeys } from '@baton/shared';
import type { Redis } from 'ioredis';

/**
 * Writes a worker's heartbeat under its key with a TTL, as the worker does: a desk worker (pid 4242 on box-1,
 * 8 slots, running desk-bot with fingerprint a1b2c3d4e5f6 and 4 commands) unless `beat` says otherwise.
 */
export function writeHeartbeat(
  redis: Redis,
  prefix: string,
  beat: Pick<WorkerHeartbeat, 'id' | 'startedAt' | 'beatAt' | 'stats'> & Partial<WorkerHeartbeat>,
  ttlMs = 60_000,
): Promise<unknown> {
  const body: WorkerHeartbeat = {
    v: WORKER_HEARTBEAT_VERSION,
    pid: 4242,
    host: 'box-1',
    concurrency: 8,
    bot: { id: 'desk-bot', fingerprint: 'a1b2c3d4e5f6', commands: 4 },
    ...beat,
  };
  return redis.set(workerKeys(prefix).heartbeat(beat.id), JSON.stringify(body), 'PX', ttlMs);
}
