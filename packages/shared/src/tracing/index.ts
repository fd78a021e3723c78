export { batonTracer } from './baton-tracer.ts';
export { inClientSpan, inSpan } from './in-span.ts';
export { type StartTracingOptions, startTracing, type Tracing } from './start-tracing.ts';
export {
  activeTraceId,
  contextFromCarrier,
  type TraceCarrier,
  TraceCarrierSchema,
  traceCarrierOf,
} from './trace-carrier.ts';
export { type TracingEnv, tracesUrlFrom, tracingEnvSchema } from './tracing-env.ts';
export { withTracing } from './with-tracing.ts';
