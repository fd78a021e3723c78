import { type OtlpReceiver, startOtlpReceiver, waitFor } from '@baton/testing';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeTraceId,
  batonTracer,
  contextFromCarrier,
  startTracing,
  traceCarrierOf,
  tracesUrlFrom,
} from '../src/tracing/index.ts';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe('tracing', () => {
  it('is off without an endpoint: no recording spans, no carrier, no trace id', async () => {
    const tracing = await startTracing({ env: {}, serviceName: 'baton-test' });
    expect(tracing.enabled).toBe(false);
    const span = batonTracer().startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    context.with(trace.setSpan(context.active(), span), () => {
      expect(traceCarrierOf()).toBeUndefined();
      expect(activeTraceId()).toBeUndefined();
    });
    span.end();
  });

  it('the traces URL: the base endpoint + /v1/traces, or the traces endpoint as given', () => {
    expect(tracesUrlFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces');
    expect(
      tracesUrlFrom({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x',
      }),
    ).toBe('http://t/x');
    expect(tracesUrlFrom({})).toBeUndefined();
  });

  it('on: a span, its carrier stored as data, and a child continued from it arrive as one trace', async () => {
    const tracing = await startTracing({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      serviceName: 'baton-test',
      instanceId: 't1',
      exportDelayMs: 50,
    });
    expect(tracing.enabled).toBe(true);
    const tracer = batonTracer();
    const parent = tracer.startSpan('ingest.event');
    const carrier = context.with(trace.setSpan(context.active(), parent), () => {
      expect(activeTraceId()).toBe(parent.spanContext().traceId);
      return traceCarrierOf();
    });
    parent.end();
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // As the worker does: the carrier comes back from Redis as JSON.
    const stored = JSON.parse(JSON.stringify(carrier));
    const child = tracer.startSpan('handle', {}, contextFromCarrier(stored));
    child.end();
    await tracing.shutdown();
    await waitFor('both spans exported', () => receiver.spans().length >= 2, 10_000);
    const [p, c] = ['ingest.event', 'handle'].map((n) => receiver.spans().find((s) => s.name === n));
    expect(c?.traceId).toBe(p?.traceId);
    expect(c?.parentSpanId).toBe(p?.spanId);
    expect(p?.service).toBe('baton-test');
    // After shutdown the process is back to the no-op tracer.
    expect(batonTracer().startSpan('after').isRecording()).toBe(false);
  });
});
