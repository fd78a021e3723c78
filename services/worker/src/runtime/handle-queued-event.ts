import { setTimeout as sleep } from 'node:timers/promises';
import type { BotUser, HandleMeta, ReplySender, RuntimeBot, RuntimeServices } from '@baton/bot';
import {
  type BatonEvent,
  type DeadLetters,
  type Logger,
  type QueuedEvent,
  serializeError,
  withTimeout,
} from '@baton/shared';
import { createAttemptScope } from './attempt-scope.ts';
import { classifyHandlerError, type HandlerErrorClass } from './classify-handler-error.ts';
import type { IdempotentReplies, OwnershipGuard } from './idempotent-replies.ts';
import { asMessageML } from './message-text.ts';
import { parseQueuedEvent } from './parse-queued-event.ts';
import type { ProcessedMarks } from './processed-marks.ts';
import type { RedisAvailability } from './redis-availability.ts';
import { HandlerTimeoutError } from './runtime-errors.ts';
import { inAttemptSpan, tracedHandler } from './trace-queued-event.ts';
import { waitForRedis } from './wait-for-redis.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** How one event is attempted. */
export interface AttemptSettings {
  /** N: handler attempts per event before it is dead-lettered. */
  attempts: number;
  /** Backoff before attempt n+1: base · 2^(n-1), capped. */
  backoffMs: number;
  backoffMaxMs: number;
  /** An attempt still running after this counts as failed; its later replies and calls are refused. */
  timeoutMs: number;
}

export interface QueuedEventDeps {
  bot: RuntimeBot;
  deadLetters: DeadLetters;
  marks: ProcessedMarks;
  replies: IdempotentReplies;
  /** Services for one attempt of one event (fresh reply sender each time). */
  servicesFor: (logger: Logger, replies: ReplySender) => RuntimeServices;
  /** The bot's own user (known once the worker started). */
  botUser: () => BotUser;
  metrics: WorkerMetrics;
  settings: AttemptSettings;
  /** Baton's own Redis: whether a failed attempt was Redis failing, and when it answers again. */
  redis: RedisAvailability;
  /** The worker's shutdown: ends a wait for Redis (the event is handed back, neither acked nor counted). */
  signal?: AbortSignal;
}

/**
 * Handles one mailbox entry to its end (the caller acks it afterwards): handled, skipped as a duplicate,
 * dead-lettered as invalid input, or dead-lettered after N failed attempts. Throws StaleDrainError when the
 * drain lost its stream mid-handler, an error `classifyHandlerError` calls `stopping` (SendWaitAbortedError,
 * RedisWaitAbortedError) when the worker's shutdown cut a wait short (the caller stops without acking either
 * way), and the errors of its own Redis calls.
 */
export type QueuedEventHandler = (queued: QueuedEvent, log: Logger, owns: OwnershipGuard) => Promise<void>;

/** What the handler is told about the attempt (`HandleMeta`): built in one place, from the queued entry. */
export function attemptMeta(queued: QueuedEvent & { late?: boolean }, attempt: number): HandleMeta {
  return { eventKey: queued.key, attempt, receivedAt: queued.receivedAt, late: queued.late === true };
}

type AttemptResult = { ok: true } | { ok: false; err: unknown };

/**
 * The per-event policy of a drain: processed marks, validation (Redis is a trust boundary), attempts with a
 * timeout and backoff, retries in place while the stream waits, and the dead letter (invalid input at once, a
 * handler failure after N attempts, with the failure reply). An attempt that failed because Baton's own Redis
 * was unavailable (a Redis error in its cause chain, or a timeout while the connection was down) is not one of
 * the N: the drain waits until Redis answers and tries again, so an outage dead-letters nothing.
 */
export function createQueuedEventHandler(deps: QueuedEventDeps): QueuedEventHandler {
  const { metrics, settings } = deps;

  /** One attempt in its own scope: once it is over (above all: timed out), its late calls are refused. */
  async function attemptOnce(
    event: BatonEvent,
    queued: QueuedEvent,
    attempt: number,
    log: Logger,
    owns: OwnershipGuard,
  ): Promise<AttemptResult> {
    const scope = createAttemptScope(deps.servicesFor(log, deps.replies.forEvent(queued.key, owns)), log);
    const end = metrics.handlerSeconds.startTimer({ type: event.type });
    try {
      await withTimeout(
        Promise.resolve().then(() => deps.bot.handle(event, scope.services, attemptMeta(queued, attempt))),
        settings.timeoutMs,
        () => new HandlerTimeoutError(settings.timeoutMs),
      );
      scope.close('attempt finished');
      return { ok: true };
    } catch (err) {
      scope.close(err instanceof HandlerTimeoutError ? 'timed out' : 'attempt failed');
      if (err instanceof HandlerTimeoutError) {
        log.warn(
          { attempt, timeoutMs: settings.timeoutMs },
          'handler timed out: abandoned, its later calls refused',
        );
      }
      return { ok: false, err };
    } finally {
      end();
    }
  }

  async function deadLetterInvalid(queued: QueuedEvent, reason: string, error: unknown, log: Logger) {
    log.warn({ reason }, 'event failed validation: dead-lettered');
    await deps.deadLetters.add({
      stage: 'ingest',
      reason: `invalid event: ${reason}`,
      streamId: queued.streamId,
      key: queued.key,
      raw: queued.event,
      ...(error !== undefined ? { error } : {}),
    });
    await deps.marks.mark(queued.key, 'skipped');
  }

  async function deadLetterFailed(event: BatonEvent, queued: QueuedEvent, lastError: unknown, log: Logger) {
    log.error(
      { attempts: settings.attempts, err: serializeError(lastError) },
      'handler failed for good: dead-lettered',
    );
    await deps.deadLetters.add({
      stage: 'handle',
      reason: `handler failed after ${settings.attempts} attempts`,
      streamId: queued.streamId,
      key: queued.key,
      raw: queued.event,
      error: lastError,
      attempts: settings.attempts,
    });
    metrics.dlqAdds.inc({ stage: 'handle', reason: 'handler_failed' });
    const text = safeFailureReply(event, log);
    if (text) {
      try {
        await deps.replies.sendOnce(queued.streamId, queued.key, 'failure', { message: asMessageML(text) });
      } catch (err) {
        log.warn({ err: serializeError(err) }, 'could not post the failure reply');
      }
    }
    await deps.marks.mark(queued.key, 'dead-lettered');
    metrics.eventsHandled.inc({ type: event.type, outcome: 'dead_lettered' });
  }

  function safeFailureReply(event: BatonEvent, log: Logger): string | undefined {
    try {
      return deps.bot.failureReply(event, deps.botUser());
    } catch (err) {
      log.warn({ err: serializeError(err) }, 'failureReply threw');
      return undefined;
    }
  }

  /**
   * classifyHandlerError, plus what only the runtime knows: a timeout while the Redis connection was down is
   * Redis' (the handler was waiting on a queued command), and `stopping` holds only while the worker stops.
   */
  function classifyAttemptError(err: unknown, startedAt: number): HandlerErrorClass {
    const kind = classifyHandlerError(err);
    if (kind === 'stopping' && deps.signal?.aborted !== true) return 'retry';
    if (kind === 'retry' && err instanceof HandlerTimeoutError && deps.redis.lostSince(startedAt)) {
      return 'redis-unavailable';
    }
    return kind;
  }

  const handleQueued: QueuedEventHandler = async (queued, log, owns) => {
    const key = queued.key;
    if (await deps.marks.has(key)) {
      log.debug('already processed: acking without running handlers');
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'duplicate' });
      return;
    }
    // Every popped event is parsed again, whatever the ingester checked: see parseQueuedEvent.
    const parsed = parseQueuedEvent(queued);
    if (!parsed.ok) {
      await deadLetterInvalid(queued, parsed.reason, undefined, log);
      metrics.dlqAdds.inc({ stage: 'ingest', reason: 'invalid' });
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'invalid' }); // never an untrusted label value
      return;
    }
    const event = parsed.event;
    const type = event.type;
    if ((queued as QueuedEvent & { late?: boolean }).late === true) {
      // Newer events of its stream were handled before it (a batch redelivered after a leader failover):
      // delivered anyway, never silently out of order (ctx.late, docs/worker.md).
      metrics.lateEvents.inc({ type });
      log.warn(
        { messageId: event.messageId, eventTimestamp: event.timestamp },
        'event delivered late: newer events of its stream were handled before it',
      );
    }
    let lastError: unknown;
    let redisWaits = 0;
    for (let attempt = 1; attempt <= settings.attempts; attempt++) {
      const startedAt = Date.now();
      const result = await inAttemptSpan(attempt, () => attemptOnce(event, queued, attempt, log, owns));
      if (result.ok) {
        await deps.marks.mark(key, 'handled');
        metrics.eventsHandled.inc({ type, outcome: 'handled' });
        return;
      }
      lastError = result.err;
      switch (classifyAttemptError(result.err, startedAt)) {
        case 'fenced':
          // Deposed while handling (it stalled past its lock): the new owner answers this event.
          throw result.err;
        case 'stopping':
          // The shutdown cut a wait short (send limiter): the stream's next drain handles the event.
          throw result.err;
        case 'redis-unavailable':
          // Baton's Redis failed, not the handler: not an attempt, no DLQ, no failure reply. Wait, try again.
          metrics.redisUnavailableAttempts.inc({ type });
          log.warn(
            { attempt, err: serializeError(result.err) },
            'Redis unavailable: waiting for Redis (not counted as an attempt)',
          );
          await waitForRedis({
            availability: deps.redis,
            owns,
            streamId: queued.streamId,
            log,
            metrics,
            round: redisWaits++,
            ...(deps.signal ? { signal: deps.signal } : {}),
          });
          attempt--; // the same attempt again
          continue;
        case 'invalid-input': {
          // The event's own content is unreadable (e.g. markup with a DOCTYPE): no retry can help.
          const { code } = serializeError(result.err);
          await deadLetterInvalid(queued, `unreadable content (${code ?? 'invalid input'})`, result.err, log);
          metrics.dlqAdds.inc({ stage: 'ingest', reason: 'invalid_content' });
          metrics.eventsHandled.inc({ type, outcome: 'invalid' });
          return;
        }
        case 'retry':
          break;
      }
      if (attempt < settings.attempts) {
        metrics.retries.inc({ type });
        const delay = Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** (attempt - 1));
        log.warn(
          { attempt, delayMs: delay, err: serializeError(result.err) },
          'handler failed: retrying in place',
        );
        await sleep(delay);
      }
    }
    await deadLetterFailed(event, queued, lastError, log);
  };
  // Tracing on: the event's handling continues the trace the ingester started (docs/operations.md, Tracing).
  return tracedHandler(handleQueued);
}
