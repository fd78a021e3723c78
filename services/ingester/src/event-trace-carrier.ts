import { type BatonEvent, batonTracer, traceCarrierOf } from '@baton/shared';
import { type Context, SpanKind, trace } from '@opentelemetry/api';

/**
 * With tracing on: a `baton.ingest.event` span, child of the read's, for one valid event, and the trace context
 * the worker continues from (stored with the mailbox entry). Off (no read context, or a no-op span): undefined.
 */
export function eventTraceCarrier(event: BatonEvent, readContext: Context | undefined) {
  if (!readContext || !trace.getSpan(readContext)?.isRecording()) return undefined;
  const span = batonTracer().startSpan(
    'baton.ingest.event',
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'baton.event.type': event.type,
        'baton.event.id': event.id,
        ...(event.messageId ? { 'baton.message.id': event.messageId } : {}),
      },
    },
    readContext,
  );
  const carrier = traceCarrierOf(trace.setSpan(readContext, span));
  span.end();
  return carrier;
}
