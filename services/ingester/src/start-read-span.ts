import { batonTracer } from '@baton/shared';
import { type Context, context, type Span, SpanKind, trace } from '@opentelemetry/api';

/**
 * With tracing on: the `baton.ingest.read` span of one feed read that carried events (from the read's start to
 * its ackId stored), and its context for the events' spans. Off: undefined (nothing is allocated per read).
 */
export function startReadSpan(
  startedAt: number,
  events: number,
  feedVersion: string,
): { span: Span; context: Context } | undefined {
  const span = batonTracer().startSpan('baton.ingest.read', {
    kind: SpanKind.CONSUMER,
    startTime: startedAt,
    attributes: { 'baton.feed.version': feedVersion, 'baton.batch.events': events },
  });
  if (!span.isRecording()) return undefined;
  return { span, context: trace.setSpan(context.active(), span) };
}
