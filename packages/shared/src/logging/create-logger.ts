import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { logErrorSerializer } from './log-error-serializer.ts';
import { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.ts';

export interface LoggerConfig {
  level?: LoggerOptions['level'];
  /** Human-readable output through pino-pretty (dev only); JSON lines otherwise. */
  pretty?: boolean;
  /** Service or component name, logged as `name`. */
  name?: string;
  /** Where to write (default stdout). Ignored when `pretty` is true. */
  destination?: DestinationStream;
}

/**
 * The one way Baton makes a root logger: JSON lines, secrets redacted, `err` serialised by `serializeError`
 * (`logErrorSerializer`). Make component loggers with `childLogger`, so a binding is never repeated in a line.
 */
export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    ...(config.name ? { name: config.name } : {}),
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: { err: logErrorSerializer },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  // stdout synchronously: pino's default asynchronous destination flushes what it buffered at process.exit() with
  // a loop that retries a write to a closed pipe (EPIPE) forever, so a service whose reader was gone (its `baton
  // dev` killed) hung in exit, deaf to every signal. A synchronous write fails at once and logging stops (EPIPE).
  return pino(options, config.destination ?? pino.destination({ dest: 1, sync: true }));
}
