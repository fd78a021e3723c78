import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
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

/** The one way Baton makes a root logger: JSON lines, secrets redacted, `err` serialised. */
export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    ...(config.name ? { name: config.name } : {}),
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return config.destination ? pino(options, config.destination) : pino(options);
}
