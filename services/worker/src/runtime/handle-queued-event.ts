import { setTimeout as sleep } from 'node:timers/promises';
import type { BotUser, HandleMeta, ReplySender, RuntimeBot, RuntimeServices } from '@baton/bot';
import {
  type AckMark,
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
  /** The processed marks older workers kept outside the mailbox slot: read for a drain's first head only. */
  legacyMarks: Pick<ProcessedMarks, 'has'>;
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

/** A mailbox entry as the drain hands it over: with what the mailbox script said about it. */
export type DrainedEvent = QueuedEvent & { late?: boolean; processed?: boolean };

/**
 * How the drain came by the entry. `firstLook`: a head another drain may have started already, possibly a
 * worker of the previous version (its processed mark under the old key, its replies' marks): a first head the
 * claim says may be started (`maybeStarted`), or one re-read after a mismatch. The legacy mark is then read and
 * the first attempt's replies read their marks first. A head the drain's own ack returned, or one the claim
 * says no drain has seen, was never another drain's (docs/worker.md, "Round trips per event").
 */
export interface DrainedEventContext {
  firstLook: boolean;
}

/**
 * Handles one mailbox entry to its end and says what the ack must record: `handled`, `dead-lettered` (after N
 * failed attempts), `skipped` (invalid input, dead-lettered at once), or `duplicate` (already processed: ack
 * without a mark). Throws StaleDrainError when the drain lost its stream mid-handler, an error
 * `classifyHandlerError` calls `stopping` (SendWaitAbortedError, RedisWaitAbortedError) when the worker's
 * shutdown cut a wait short (the caller stops without acking either way), and the errors of its own Redis calls.
 */
export type QueuedEventHandler = (
  queued: DrainedEvent,
  log: Logger,
  owns: OwnershipGuard,
  context?: DrainedEventContext,
) => Promise<QueuedEventOutcome>;

export type QueuedEventOutcome = AckMark['outcome'] | 'duplicate';

/** What the handler is told about the attempt (`HandleMeta`): built in one place, from the queued entry. */
export function attemptMeta(queued: QueuedEvent & { late?: boolean }, attempt: number): HandleMeta {
  return { eventKey: queued.key, attempt, receivedAt: queued.receivedAt, late: queued.late === true };
}

type AttemptResult = { ok: true } | { ok: false; err: unknown };

/**
 * A handler failure that dead-letters its event: after the N attempts (`exhausted`), or at once, at attempt `at`,
 * for a failure no retry can change (`permanent`: classifyHandlerError's; the reason then names the error's code).
 */
type FailedForGood = { kind: 'exhausted'; err: unknown } | { kind: 'permanent'; err: unknown; at: number };

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
    firstLook: boolean,
  ): Promise<AttemptResult> {
    // A retry, or an event another drainer may have started: each reply reads its mark before anything else.
    const sender = deps.replies.forEvent(queued.key, owns, { fresh: attempt === 1 && !firstLook });
    const scope = createAttemptScope(deps.servicesFor(log, sender), log);
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
  }

  /** Dead-letters the event with what its log line, its dead letter and the metric say of `failure`. */
  async function deadLetterFailed(
    event: BatonEvent,
    queued: QueuedEvent,
    failure: FailedForGood,
    log: Logger,
  ) {
    const serialized = serializeError(failure.err);
    const dead =
      failure.kind === 'exhausted'
        ? {
            attempts: settings.attempts,
            line: 'handler failed for good: dead-lettered',
            reason: `handler failed after ${settings.attempts} attempts`,
            metric: 'handler_failed',
          }
        : {
            attempts: failure.at,
            line: 'handler failed in a way no retry can change: dead-lettered without retrying',
            reason: `handler failed (${serialized.code ?? 'permanent'}): not retried, the same call cannot succeed`,
            metric: 'permanent',
          };
    log.error({ attempts: dead.attempts, err: serialized }, dead.line);
    await deps.deadLetters.add({
      stage: 'handle',
      reason: dead.reason,
      streamId: queued.streamId,
      key: queued.key,
      raw: queued.event,
      error: failure.err,
      attempts: dead.attempts,
    });
    metrics.dlqAdds.inc({ stage: 'handle', reason: dead.metric });
    const text = safeFailureReply(event, log);
    if (text) {
      try {
        await deps.replies.sendOnce(queued.streamId, queued.key, 'failure', { message: asMessageML(text) });
      } catch (err) {
        log.warn({ err: serializeError(err) }, 'could not post the failure reply');
      }
    }
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

  const handleQueued: QueuedEventHandler = async (queued, log, owns, context) => {
    const key = queued.key;
    const firstLook = context?.firstLook ?? true;
    // The mailbox script said whether the head has its processed mark; a first look also reads the old key.
    if (queued.processed === true || (firstLook && (await deps.legacyMarks.has(key)))) {
      log.debug('already processed: acking without running handlers');
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'duplicate' });
      return 'duplicate';
    }
    // Every popped event is parsed again, whatever the ingester checked: see parseQueuedEvent.
    const parsed = parseQueuedEvent(queued);
    if (!parsed.ok) {
      await deadLetterInvalid(queued, parsed.reason, undefined, log);
      metrics.dlqAdds.inc({ stage: 'ingest', reason: 'invalid' });
      metrics.eventsHandled.inc({ type: 'unknown', outcome: 'invalid' }); // never an untrusted label value
      return 'skipped';
    }
    const event = parsed.event;
    const type = event.type;
    if (queued.late === true) {
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
      const result = await inAttemptSpan(attempt, () =>
        attemptOnce(event, queued, attempt, log, owns, firstLook),
      );
      if (result.ok) {
        metrics.eventsHandled.inc({ type, outcome: 'handled' });
        return 'handled';
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
          return 'skipped';
        }
        case 'permanent':
          // The handler's call can never succeed as made (a reply over Symphony's message size): no retry.
          await deadLetterFailed(event, queued, { kind: 'permanent', err: result.err, at: attempt }, log);
          return 'dead-lettered';
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
    await deadLetterFailed(event, queued, { kind: 'exhausted', err: lastError }, log);
    return 'dead-lettered';
  };
  // Tracing on: the event's handling continues the trace the ingester started (docs/operations.md, Tracing).
  return tracedHandler(handleQueued);
}
