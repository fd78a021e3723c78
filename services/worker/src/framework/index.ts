export { type AllowOnlyOptions, allowOnly } from './allow-only.ts';
export { createBot } from './bot.ts';
export type * from './bot-types.ts';
export type * from './context.ts';
export {
  BotFrameworkError,
  CommandPatternError,
  DuplicateRegistrationError,
  UnknownTaskError,
} from './errors.ts';
export { type LogDispatchOptions, logDispatch } from './log-dispatch.ts';
export { createMemoryStateStore, type MemoryStateStore } from './memory-state-store.ts';
export { type CommandPattern, type PatternArg, parseCommandPattern } from './parse-command-pattern.ts';
export type { ArgsOf, ArgType, ArgValueMap, Mention } from './pattern-types.ts';
export { type RateLimitOptions, rateLimitPerUser } from './rate-limit-per-user.ts';
export { createRedisStateStore, type RedisStateStoreOptions } from './redis-state-store.ts';
export type * from './runtime-services.ts';
