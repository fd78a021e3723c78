import type { Logger } from '@baton/shared';
import { CorruptEntryError, childLogger, hasLiveDrain, type Mailbox, scheduleDrain } from '@baton/shared';
import type { Queue } from 'bullmq';
import type { IngesterMetrics } from './ingester-metrics.ts';
import { waitAtMost } from './wait-at-most.ts';

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
    /** The mailbox's clock (the age of a head is `now() - receivedAt`). */
    now?: () => number;
  },
): Sweeper {
  const log = childLogger(deps.logger, { component: 'sweeper' });
  const now = deps.now ?? Date.now;

  /**
   * Looks again before acting: a drain may have emptied the mailbox and completed between the backlog read and
   * the dedup-key read (then its job is gone, yet the stream is not stranded). Stranded means: an old head is
   * still there and still no drain job is live.
   */
  async function stillStranded(streamId: string): Promise<boolean> {
    try {
      const head = await deps.mailbox.peek(streamId);
      if (head === null || now() - head.receivedAt < options.ageMs) return false;
    } catch (err) {
      // A corrupt head is real work (a drain dead-letters it): fall through to the drain check.
      if (!(err instanceof CorruptEntryError)) throw err;
    }
    return !(await hasLiveDrain(deps.drainQueue, streamId));
  }
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let round: Promise<unknown> = Promise.resolve();

  async function sweepOnce(): Promise<string[]> {
    const waiting = await deps.mailbox.streamsWaitingLongerThan(options.ageMs, options.limit ?? 500);
    const rescheduled: string[] = [];
    for (const streamId of waiting) {
      if (await hasLiveDrain(deps.drainQueue, streamId)) continue;
      if (!(await stillStranded(streamId))) continue;
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
      await waitAtMost(round, 1_000);
    },
    sweepOnce,
  };
}
