import { type DeepReadonly, type Env, logEnvSchema, parseEnv, redisEnvSchema } from '@baton/shared';
import { z } from 'zod';

/** The dashboard's own variables (the shared Redis and logging fragments are merged in). */
export const dashboardEnvSchema = z.object({
  DASHBOARD_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int()
    .min(0)
    .max(65_535)
    .default(3100)
    .describe('TCP port of the dashboard (0 = any free port)'),
  DASHBOARD_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Bind address; a non-loopback address requires DASHBOARD_TOKEN or DASHBOARD_BASIC_AUTH'),
  DASHBOARD_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe(
      'Bearer token required on every route but /healthz (header, or ?token= once per browser session)',
    ),
  DASHBOARD_BASIC_AUTH: z
    .string()
    .regex(/^[^:]+:.+$/, 'expected user:password')
    .optional()
    .describe('HTTP basic-auth credentials "user:password" required on every route but /healthz'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(5_000)
    .describe('SIGTERM: how long the dashboard may take to close before it exits anyway (ms)'),
});

export const dashboardConfigSchema = redisEnvSchema
  .extend(logEnvSchema.shape)
  .extend(dashboardEnvSchema.shape);

export type DashboardConfig = DeepReadonly<z.infer<typeof dashboardConfigSchema>>;

/** Parses, defaults and freezes the configuration (secrets may come from `X_FILE`); throws shared `ConfigError`. */
export function loadConfig(env: Env = process.env): DashboardConfig {
  return parseEnv(dashboardConfigSchema, env, { service: 'dashboard' });
}

/** The basic-auth credentials split at the first colon (the password may contain colons). */
export function basicAuthOf(config: DashboardConfig): { user: string; password: string } | undefined {
  const v = config.DASHBOARD_BASIC_AUTH;
  if (v === undefined) return undefined;
  const at = v.indexOf(':');
  return { user: v.slice(0, at), password: v.slice(at + 1) };
}
