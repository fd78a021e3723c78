import { type Tracer, trace } from '@opentelemetry/api';

/** Baton's tracer: the global provider's when tracing is on, OpenTelemetry's no-op tracer otherwise. */
export function batonTracer(): Tracer {
  return trace.getTracer('baton');
}
