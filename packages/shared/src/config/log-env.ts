import { z } from 'zod';
import { envBoolean } from './env-boolean.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The logging variables. */
export const logEnvSchema = z.object({
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
    .default('info')
    .describe('Minimum log level'),
  LOG_PRETTY: envBoolean().default(false).describe('Human-readable logs (pino-pretty) instead of JSON lines'),
});

export type LogEnv = z.infer<typeof logEnvSchema>;
