export type { Logger } from 'pino';
export { childLogger } from './child-logger.ts';
export { createLogger, type LoggerConfig } from './create-logger.ts';
export { lazyChildLogger } from './lazy-child-logger.ts';
export { logErrorSerializer } from './log-error-serializer.ts';
export { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.ts';
