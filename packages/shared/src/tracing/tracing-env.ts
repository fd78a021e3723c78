import { z } from 'zod';

/**
 * OpenTelemetry export, shared by every service (the standard OTel variable names). Unset: tracing is off and
 * costs nothing (the OTel API's no-op tracer; the SDK is never loaded).
 */
export const tracingEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe('OTLP/HTTP collector base URL (traces go to <url>/v1/traces); unset = tracing off'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe('Full OTLP/HTTP traces URL; overrides OTEL_EXPORTER_OTLP_ENDPOINT for traces'),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'service.name of the spans', defaultText: 'baton-<service>' }),
});
export type TracingEnv = z.infer<typeof tracingEnvSchema>;

/** The OTLP traces URL of `env`, or undefined when tracing is off. */
export function tracesUrlFrom(env: Readonly<TracingEnv>): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT)
    return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}
