import type { Logger } from '@baton/shared';
import { hasLiveDrain, type Mailbox, scheduleDrain } from '@baton/shared';
import type { Queue } from 'bullmq';
import type { IngesterMetrics } from './ingester-metrics.ts';

export interface SweeperOptions {
  intervalMs: number;
  /** Only streams whose oldest pending event is older than this are checked. */
  ageMs: number;
  /** Streams checked per round. */
  limit?: number;
}

export interface Sweeper {
  start(): void;
  stop(): Promise<void>;
  /** One round; returns the streams re-scheduled. */
  sweepOnce(): Promise<string[]>;
}

/**
 * Re-schedules drains for mailboxes that hold events but have no live drain job (a crash between enqueue and
 * scheduleDrain, a drain job that failed): without it such a stream is stranded forever. Runs only while
 * `isLeader()`.
 */
export function createSweeper(
  options: SweeperOptions,
  deps: {
    mailbox: Mailbox;
    drainQueue: Queue;
    isLeader: () => boolean;
    metrics: IngesterMetrics;
    logger: Logger;
  },
): Sweeper {
  const log = deps.logger.child({ component: 'sweeper' });
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let round: Promise<unknown> = Promise.resolve();

  async function sweepOnce(): Promise<string[]> {
    const waiting = await deps.mailbox.streamsWaitingLongerThan(options.ageMs, options.limit ?? 500);
    const rescheduled: string[] = [];
    for (const streamId of waiting) {
      if (await hasLiveDrain(deps.drainQueue, streamId)) continue;
      await scheduleDrain(deps.drainQueue, streamId);
      rescheduled.push(streamId);
    }
    if (rescheduled.length > 0) {
      deps.metrics.swept.inc(rescheduled.length);
      log.warn(
        { streams: rescheduled.length, sample: rescheduled.slice(0, 5) },
        'stranded mailboxes re-scheduled',
      );
    }
    return rescheduled;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      round = (deps.isLeader() ? sweepOnce() : Promise.resolve())
        .catch((err: unknown) => log.warn({ err: { message: (err as Error)?.message } }, 'sweep failed'))
        .finally(schedule);
    }, options.intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await Promise.race([round, new Promise((r) => setTimeout(r, 1_000).unref())]);
    },
    sweepOnce,
  };
}
