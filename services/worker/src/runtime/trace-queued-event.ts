import { contextFromCarrier, inSpan, type QueuedEvent, serializeError } from '@baton/shared';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * Wraps the per-event handler so that, with tracing on, handling an event is a `baton.handle` span continuing
 * the trace whose context the ingester stored with the entry (its `trace` field): read → store → handle →
 * attempts → each Symphony call, one trace. Without a stored context (tracing off at the ingester, or an entry
 * written before) the span starts a trace of its own; with tracing off everything is a no-op.
 */
export function tracedHandler<Q extends QueuedEvent, A extends unknown[], R>(
  handler: (queued: Q, ...rest: A) => Promise<R>,
): (queued: Q, ...rest: A) => Promise<R> {
  return (queued, ...rest) =>
    context.with(contextFromCarrier(queued.trace), () =>
      inSpan(
        'baton.handle',
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'baton.stream.id': queued.streamId,
            'baton.event.key': queued.key,
            'baton.seq': queued.seq,
          },
        },
        () => handler(queued, ...rest),
      ),
    );
}

/**
 * One handler attempt as a child span (`baton.attempt`, its number as an attribute); a failed attempt (the
 * handler's error, returned rather than thrown) marks the span failed with the error's code or class.
 */
export function inAttemptSpan<T extends { ok: boolean; err?: unknown }>(
  attempt: number,
  fn: () => Promise<T>,
): Promise<T> {
  return inSpan('baton.attempt', { attributes: { 'baton.attempt': attempt } }, async (span) => {
    const result = await fn();
    if (!result.ok && span.isRecording()) {
      const { name, code } = serializeError(result.err);
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', code ?? name);
    }
    return result;
  });
}
