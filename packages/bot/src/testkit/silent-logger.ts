import { createLogger, type Logger } from '@baton/shared/logging';

/** A logger that drops everything (the test kit's default; pass your own pino logger to see the logs). */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'silent' });
}
