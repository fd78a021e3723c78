export type { Logger } from 'pino';
export { createLogger, type LoggerConfig } from './create-logger.ts';
export { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.ts';
