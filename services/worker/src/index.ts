// Public surface of @baton/worker: the runtime (createWorker, config, bot loading, DLQ operations). The bot
// framework is `@baton/bot`.

export { createDeadLetters, type DeadLetterEntry, type DeadLetters } from '@baton/shared';
export {
  botModuleEnvSchema,
  loadConfig,
  loadRuntimeConfig,
  type WorkerConfig,
  type WorkerFields,
  type WorkerRuntimeConfig,
  workerEnvSchema,
  workerFieldsSchema,
  workerRuntimeEnvSchema,
} from './config.ts';
export { type BatonWorker, createWorker, type WorkerDeps } from './create-worker.ts';
export { BotModuleError, type BotModuleProblem } from './runtime/bot-module-error.ts';
export { BATON_SOURCE_TYPE, type BatonSource } from './runtime/idempotent-replies.ts';
export { type LoadedBot, loadBotModule } from './runtime/load-bot-module.ts';
export { createNoBotAccountClient, NoBotAccountError } from './runtime/no-bot-account-client.ts';
export { createRedisStateStore, type RedisStateStoreOptions } from './runtime/redis-state-store.ts';
export {
  AttemptClosedError,
  BotConflictError,
  HandlerTimeoutError,
  NotReplayableError,
  ReplyInDoubtError,
  StaleDrainError,
  UnknownDeadLetterError,
} from './runtime/runtime-errors.ts';
export { StateStoreError, type StateStoreErrorCode } from './runtime/state-store-error.ts';
export { runWorkerProcess } from './runtime/worker-process.ts';
