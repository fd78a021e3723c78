import { type Context, context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { z } from 'zod';

/**
 * The W3C trace context of an event, stored with it in Redis (the queued-event contract) so that the worker
 * continues the trace the ingester started.
 */
export const TraceCarrierSchema = z.object({
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
  tracestate: z.string().max(512).optional(),
});
export type TraceCarrier = z.infer<typeof TraceCarrierSchema>;

/** The carrier of `ctx` (default: the active context), or undefined when no span is recording there. */
export function traceCarrierOf(ctx: Context = context.active()): TraceCarrier | undefined {
  if (!trace.getSpan(ctx)?.isRecording()) return undefined;
  const out: Record<string, string> = {};
  propagation.inject(ctx, out);
  const parsed = TraceCarrierSchema.safeParse(out);
  return parsed.success ? parsed.data : undefined;
}

/** The context a carrier describes (the root context when there is none or it is invalid). */
export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The active trace id (32 hex), when a span is recording: sent as Symphony's X-Trace-Id. */
export function activeTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}
