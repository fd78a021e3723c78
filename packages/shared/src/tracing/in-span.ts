import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { redactSecrets } from '../errors/redact-secrets.ts';
import { serializeError } from '../errors/serialize-error.ts';
import { batonTracer } from './baton-tracer.ts';

/**
 * Runs `fn` in an active span (ended when it settles; an error marks it failed with the error's class and code).
 * With tracing off the span is OpenTelemetry's no-op one: a few function calls.
 */
export function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return batonTracer().startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      if (span.isRecording()) {
        const { name: errorName, code, message } = serializeError(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: redactSecrets(message).slice(0, 200) });
        span.setAttribute('error.type', code ?? errorName);
      }
      throw err;
    } finally {
      span.end();
    }
  });
}

/** `inSpan` for an outgoing call (span kind CLIENT). */
export function inClientSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return inSpan(name, { kind: SpanKind.CLIENT, attributes }, () => fn());
}
