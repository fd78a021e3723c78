import { setTimeout as sleep } from 'node:timers/promises';
import type { BotUser, ReplySender, RuntimeBot, RuntimeServices } from '@baton/bot';
import {
  type BatonEvent,
  CorruptEntryError,
  DrainJobSchema,
  type Logger,
  type Mailbox,
  type QueuedEvent,
  scheduleDrain,
  serializeError,
  withTimeout,
} from '@baton/shared';
import type { Job, Queue } from 'bullmq';
import { createAttemptScope } from './attempt-scope.ts';
import type { DeadLetters } from './dead-letters.ts';
import type { IdempotentReplies, OwnershipGuard } from './idempotent-replies.ts';
import { asMessageML } from './message-text.ts';
import { parseQueuedEvent } from './parse-queued-event.ts';
import type { ProcessedMarks } from './processed-marks.ts';
import { HandlerTimeoutError, StaleDrainError } from './runtime-errors.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

export interface DrainSettings {
  /** K: events handled per drain job before it yields (re-schedules itself). */
  batch: number;
  /** N: handler attempts per event before it is dead-lettered. */
  attempts: number;
  /** Backoff before attempt n+1: base · 2^(n-1), capped. */
  backoffMs: number;
  backoffMaxMs: number;
  /** An attempt still running after this counts as failed; its later replies and calls are refused. */
  timeoutMs: number;
}

export interface DrainDeps {
  mailbox: Mailbox;
  drainQueue: Queue;
  bot: RuntimeBot;
  deadLetters: DeadLetters;
  marks: ProcessedMarks;
  replies: IdempotentReplies;
  /** Services for one attempt of one event (fresh reply sender each time). */
  servicesFor: (logger: Logger, replies: ReplySender) => RuntimeServices;
  /** The bot's own user (known once the worker started). */
  botUser: () => BotUser;
  metrics: WorkerMetrics;
  logger: Logger;
  settings: DrainSettings;
  /** True once SIGTERM arrived: finish the event in hand, hand the rest of the stream back. */
  isStopping: () => boolean;
  /** Test hook: called after an event is handled and marked, before its ack. */
  beforeAck?: (queued: QueuedEvent) => Promise<void> | void;
}

export type DrainOutcome = 'empty' | 'drained' | 'yielded' | 'fenced' | 'stopping';

/** The BullMQ processor of the drain queue: one stream, strictly one event at a time, fenced acks. */
export function createDrainProcessor(
  deps: DrainDeps,
): (job: Job) => Promise<{ outcome: DrainOutcome; handled: number }> {
  const { mailbox, metrics, settings } = deps;

  async function peekSafe(streamId: string): Promise<QueuedEvent | CorruptEntryError | null> {
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
      error: serializeError(err),
    });
    metrics.dlqAdds.inc({ stage: 'ingest', reason: 'corrupt' });
    metrics.eventsHandled.inc({ type: 'unknown', outcome: 'invalid' });
  }

  async function handleQueued(queued: QueuedEvent, log: Logger, owns: OwnershipGuard): Promise<void> {
    const key = queued.key;
    if (await deps.marks.has(key)) {
      log.debug('already processed: acking without running handlers');
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'duplicate' });
      return;
    }
    // Every popped event is parsed again, whatever the ingester checked: see parseQueuedEvent.
    const parsed = parseQueuedEvent(queued);
    if (!parsed.ok) {
      log.warn({ reason: parsed.reason }, 'event failed validation: dead-lettered');
      await deps.deadLetters.add({
        stage: 'ingest',
        reason: `invalid event: ${parsed.reason}`,
        streamId: queued.streamId,
        key,
        raw: queued.event,
      });
      metrics.dlqAdds.inc({ stage: 'ingest', reason: 'invalid' });
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'invalid' }); // never an untrusted label value
      await deps.marks.mark(key, 'skipped');
      return;
    }
    const event = parsed.event;
    const type = event.type;
    let lastError: unknown;
    for (let attempt = 1; attempt <= settings.attempts; attempt++) {
      // A fresh scope per attempt: once the attempt is over (above all: timed out), whatever the abandoned
      // handler still tries to post or call is refused, so nothing it does late reaches the user.
      const scope = createAttemptScope(deps.servicesFor(log, deps.replies.forEvent(key, owns)), log);
      const meta = { eventKey: key, attempt, receivedAt: queued.receivedAt };
      const end = metrics.handlerSeconds.startTimer({ type });
      try {
        await withTimeout(
          Promise.resolve().then(() => deps.bot.handle(event, scope.services, meta)),
          settings.timeoutMs,
          () => new HandlerTimeoutError(settings.timeoutMs),
        );
        scope.close('attempt finished');
        end();
        await deps.marks.mark(key, 'handled');
        metrics.eventsHandled.inc({ type, outcome: 'handled' });
        return;
      } catch (err) {
        scope.close(err instanceof HandlerTimeoutError ? 'timed out' : 'attempt failed');
        end();
        lastError = err;
        // Deposed while handling (it stalled past its lock): the new owner answers this event. No retry, no DLQ.
        if (err instanceof StaleDrainError) throw err;
        if (err instanceof HandlerTimeoutError) {
          log.warn(
            { attempt, timeoutMs: settings.timeoutMs },
            'handler timed out: abandoned, its later calls refused',
          );
        }
        if (attempt < settings.attempts) {
          metrics.retries.inc({ type });
          const delay = Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** (attempt - 1));
          log.warn(
            { attempt, delayMs: delay, err: serializeError(err) },
            'handler failed: retrying in place',
          );
          await sleep(delay);
        }
      }
    }
    log.error(
      { attempts: settings.attempts, err: serializeError(lastError) },
      'handler failed for good: dead-lettered',
    );
    await deps.deadLetters.add({
      stage: 'handle',
      reason: `handler failed after ${settings.attempts} attempts`,
      streamId: queued.streamId,
      key,
      raw: queued.event,
      error: serializeError(lastError),
      attempts: settings.attempts,
    });
    metrics.dlqAdds.inc({ stage: 'handle', reason: 'handler_failed' });
    const text = safeFailureReply(event, log);
    if (text) {
      try {
        await deps.replies.sendOnce(queued.streamId, key, 'failure', { message: asMessageML(text) });
      } catch (err) {
        log.warn({ err: serializeError(err) }, 'could not post the failure reply');
      }
    }
    await deps.marks.mark(key, 'dead-lettered');
    metrics.eventsHandled.inc({ type, outcome: 'dead_lettered' });
  }

  function safeFailureReply(event: BatonEvent, log: Logger): string | undefined {
    try {
      return deps.bot.failureReply(event, deps.botUser());
    } catch (err) {
      log.warn({ err: serializeError(err) }, 'failureReply threw');
      return undefined;
    }
  }

  /** A newer drain claimed the stream (refused ack, or deposed mid-handler): stop without touching it. */
  function fenced(seq: number, handled: number, log: Logger): { outcome: DrainOutcome; handled: number } {
    metrics.fencedAcks.inc();
    metrics.drains.inc({ outcome: 'fenced' });
    log.warn({ seq }, 'ack fenced: a newer drainer owns the stream, stopping');
    return { outcome: 'fenced', handled };
  }

  return async function processDrain(job) {
    const { streamId } = DrainJobSchema.parse(job.data);
    const log = deps.logger.child({ streamId, drainJob: job.id });
    metrics.activeDrains.inc();
    try {
      const token = await mailbox.claim(streamId);
      let head = await peekSafe(streamId);
      if (head === null) {
        metrics.drains.inc({ outcome: 'empty' });
        return { outcome: 'empty', handled: 0 };
      }
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
        if (head instanceof CorruptEntryError) {
          await deadLetterCorrupt(head, log);
          seq = head.seq ?? -1;
        } else {
          const evLog = log.child({ eventId: head.key, seq: head.seq });
          try {
            await handleQueued(head, evLog, () => mailbox.holds(streamId, token));
          } catch (err) {
            if (!(err instanceof StaleDrainError)) throw err;
            return fenced(head.seq, handled, log);
          }
          await deps.beforeAck?.(head);
          seq = head.seq;
        }
        handled++;
        const res = await mailbox.ack(streamId, seq, token);
        if (res.status === 'fenced') return fenced(seq, handled, log);
        if (res.status === 'mismatch') log.warn({ seq }, 'ack mismatch: head moved, re-reading it');
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
