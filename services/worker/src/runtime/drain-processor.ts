import {
  CorruptEntryError,
  DrainJobSchema,
  type Logger,
  lazyChildLogger,
  type Mailbox,
  type MailboxHead,
  type QueuedEvent,
  scheduleDrain,
  serializeError,
  withTimeout,
} from '@baton/shared';
import type { Job, Queue } from 'bullmq';
import { classifyHandlerError } from './classify-handler-error.ts';
import {
  type AttemptSettings,
  createQueuedEventHandler,
  type QueuedEventDeps,
} from './handle-queued-event.ts';
import { StaleDrainError } from './runtime-errors.ts';

export interface DrainSettings extends AttemptSettings {
  /** K: events handled per drain job before it yields (re-schedules itself). */
  batch: number;
}

/** What the loop needs on top of what each event's handling needs (`QueuedEventDeps`). */
export interface DrainDeps extends Omit<QueuedEventDeps, 'settings'> {
  mailbox: Mailbox;
  drainQueue: Queue;
  logger: Logger;
  settings: DrainSettings;
  /** Lifetime of the processed marks the acks set (s). */
  markTtlSec: number;
  /** True once SIGTERM arrived: finish the event in hand, hand the rest of the stream back. */
  isStopping: () => boolean;
  /** Test hook: called after an event is handled, before its ack (which sets its processed mark). */
  beforeAck?: (queued: QueuedEvent) => Promise<void> | void;
}

export type DrainOutcome = 'empty' | 'drained' | 'yielded' | 'fenced' | 'stopping';

/** How long a stopping drain tries to re-schedule its stream (Redis may be the reason it stops waiting). */
const RESCHEDULE_ON_STOP_MS = 2_000;

/**
 * The BullMQ processor of the drain queue: one stream, strictly one event at a time, fenced acks. What happens
 * to each event (attempts, retries, the DLQ) is `createQueuedEventHandler`'s; this is the loop around it.
 */
export function createDrainProcessor(
  deps: DrainDeps,
): (job: Job) => Promise<{ outcome: DrainOutcome; handled: number }> {
  const { mailbox, metrics, settings } = deps;
  const handleQueued = createQueuedEventHandler(deps);

  async function peekSafe(streamId: string): Promise<MailboxHead | CorruptEntryError | null> {
    try {
      return await mailbox.peek(streamId);
    } catch (err) {
      if (err instanceof CorruptEntryError) return err;
      throw err;
    }
  }

  async function deadLetterCorrupt(err: CorruptEntryError, log: Logger): Promise<void> {
    log.warn({ seq: err.seq, reason: err.reason }, 'corrupt mailbox entry: dead-lettered');
    await deps.deadLetters.add({
      stage: 'ingest',
      reason: `corrupt mailbox entry: ${err.reason}`,
      streamId: err.streamId,
      raw: err.raw,
      error: err,
    });
    metrics.dlqAdds.inc({ stage: 'ingest', reason: 'corrupt' });
    metrics.eventsHandled.inc({ type: 'unknown', outcome: 'invalid' });
  }

  /** A newer drain claimed the stream (refused ack, or deposed mid-handler): stop without touching it. */
  function fenced(seq: number, handled: number, log: Logger): { outcome: DrainOutcome; handled: number } {
    metrics.fencedAcks.inc();
    metrics.drains.inc({ outcome: 'fenced' });
    log.warn({ seq }, 'ack fenced: a newer drainer owns the stream, stopping');
    return { outcome: 'fenced', handled };
  }

  /**
   * The shutdown cut a wait short with the event in hand: it is not acked (nor marked), so the stream's next drain
   * handles it. Re-schedule that drain now if Redis lets us soon; otherwise the sweeper does.
   */
  async function handBack(streamId: string, handled: number, log: Logger) {
    await withTimeout(
      scheduleDrain(deps.drainQueue, streamId),
      RESCHEDULE_ON_STOP_MS,
      () => new Error('re-scheduling timed out'),
    ).catch((err: unknown) =>
      log.warn({ err: serializeError(err) }, 'could not re-schedule the stream on stop: the sweeper will'),
    );
    metrics.drains.inc({ outcome: 'stopping' });
    log.info('stopping: the event in hand is handed back unacked');
    return { outcome: 'stopping' as const, handled };
  }

  return async function processDrain(job) {
    const { streamId } = DrainJobSchema.parse(job.data);
    // Made only if something logs (lazyChildLogger): per drain and per event, on the hot path.
    const log = lazyChildLogger(deps.logger, { streamId, drainJob: job.id });
    metrics.activeDrains.inc();
    try {
      // Claim and first peek in one round trip; a corrupt head comes back as its CorruptEntryError.
      const claimed = await mailbox.claimAndPeek(streamId);
      const token = claimed.token;
      let head: MailboxHead | CorruptEntryError | null = claimed.head;
      if (claimed.head === null) {
        metrics.drains.inc({ outcome: 'empty' });
        return { outcome: 'empty', handled: 0 };
      }
      // A head another drain may have started (the mailbox tells for the first one; a head re-read after a
      // mismatch may be anything) has its marks read first: see DrainedEventContext.
      let firstLook = claimed.head instanceof CorruptEntryError || claimed.head.maybeStarted;
      let handled = 0;
      while (head !== null) {
        if (handled >= settings.batch || deps.isStopping()) {
          // Yield: a busy stream goes to the back of the line; on SIGTERM another worker takes the rest.
          await scheduleDrain(deps.drainQueue, streamId);
          const outcome = deps.isStopping() ? 'stopping' : 'yielded';
          metrics.drains.inc({ outcome });
          return { outcome, handled };
        }
        let seq: number;
        let mark: { eventKey: string; outcome: 'handled' | 'dead-lettered' | 'skipped' } | undefined;
        if (head instanceof CorruptEntryError) {
          await deadLetterCorrupt(head, log);
          seq = head.seq ?? -1;
        } else {
          const evLog = log.child({ eventId: head.key, seq: head.seq });
          try {
            const outcome = await handleQueued(head, evLog, () => mailbox.holds(streamId, token), {
              firstLook,
            });
            if (outcome !== 'duplicate') mark = { eventKey: head.key, outcome };
          } catch (err) {
            if (err instanceof StaleDrainError) return fenced(head.seq, handled, log);
            if (deps.isStopping() && classifyHandlerError(err) === 'stopping') {
              return handBack(streamId, handled, log);
            }
            throw err;
          }
          await deps.beforeAck?.(head);
          seq = head.seq;
        }
        handled++;
        // The processed mark is set by the ack script itself: one round trip, no window between the two.
        const res = await mailbox.ack(
          streamId,
          seq,
          token,
          mark ? { ...mark, ttlSec: deps.markTtlSec } : undefined,
        );
        if (res.status === 'fenced') return fenced(seq, handled, log);
        if (res.status === 'mismatch') log.warn({ seq }, 'ack mismatch: head moved, re-reading it');
        firstLook = res.status === 'mismatch' || res.next === null;
        // next === null with hasMore means the new head is corrupt: peek surfaces it as CorruptEntryError.
        head = res.next ?? (res.hasMore ? await peekSafe(streamId) : null);
      }
      metrics.drains.inc({ outcome: 'drained' });
      return { outcome: 'drained', handled };
    } finally {
      metrics.activeDrains.dec();
    }
  };
}
