import type { Logger } from 'pino';
import { serializeError } from '../errors/serialize-error.ts';
import { type TracingEnv, tracesUrlFrom } from './tracing-env.ts';

/** The process's tracing: on (spans exported by OTLP/HTTP) or off (no-op, nothing loaded). */
export interface Tracing {
  readonly enabled: boolean;
  /** Flushes what is buffered and stops exporting (call on shutdown, before exit). */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  env: Readonly<TracingEnv>;
  /** Default service.name (`baton-ingester`, `baton-worker`, …) when OTEL_SERVICE_NAME is unset. */
  serviceName: string;
  /** service.instance.id (the worker id, the ingester's replica id). */
  instanceId?: string;
  logger?: Logger;
  /** How often buffered spans are sent (default 1 s). */
  exportDelayMs?: number;
}

const OFF: Tracing = { enabled: false, shutdown: async () => {} };

/**
 * Registers the global OpenTelemetry tracer provider (with an AsyncLocalStorage context manager and the W3C
 * propagator) when an OTLP endpoint is configured. The SDK is imported only then: a process without tracing
 * never loads it.
 */
export async function startTracing(opts: StartTracingOptions): Promise<Tracing> {
  const url = tracesUrlFrom(opts.env);
  if (!url) return OFF;
  const log = opts.logger?.child({ component: 'tracing' });
  const [
    api,
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    sdk,
    { resourceFromAttributes },
    { OTLPTraceExporter },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const exporter = new OTLPTraceExporter({ url });
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': opts.env.OTEL_SERVICE_NAME ?? opts.serviceName,
      ...(opts.instanceId ? { 'service.instance.id': opts.instanceId } : {}),
    }),
    spanProcessors: [
      new sdk.BatchSpanProcessor(exporter, { scheduledDelayMillis: opts.exportDelayMs ?? 1_000 }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  api.context.setGlobalContextManager(contextManager);
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  log?.info({ url: new URL(url).origin }, 'tracing on: spans exported by OTLP/HTTP');
  return {
    enabled: true,
    shutdown: async () => {
      try {
        await provider.shutdown();
      } catch (err) {
        log?.warn({ err: serializeError(err) }, 'tracing: flushing spans on shutdown failed');
      }
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
    },
  };
}
