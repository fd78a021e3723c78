import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from '@baton/shared';

/**
 * Lowers this process's CPU scheduling priority to `nice` (0–19; 0 = leave it as started), so that on a host
 * short of CPU the ingester (left at its own priority) wins the CPU over the workers: the datafeed is read on
 * time and a v1 feed does not pass its 250 unread events, while the workers' backlog waits safely in Redis. On
 * Linux the nice value is per thread, so every thread of the process is lowered (the event loop, libuv's pool,
 * V8's helpers); elsewhere the process. Raising priority is never attempted (a higher value than `nice` that the
 * process already has is kept). Failures are logged, never fatal.
 */
export function lowerOwnPriority(nice: number, logger: Logger): void {
  if (nice <= 0) return;
  let tids: number[] = [0];
  try {
    tids = readdirSync('/proc/self/task').map(Number).filter(Number.isInteger);
  } catch {
    // Not Linux (no /proc): the process's own priority only.
  }
  let lowered = 0;
  for (const tid of tids) {
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch (err) {
      logger.warn({ tid, nice, err: (err as Error).message }, 'could not lower the CPU priority');
      return;
    }
  }
  logger.info({ nice, threads: lowered }, 'CPU priority lowered (WORKER_NICE)');
}
