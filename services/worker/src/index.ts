// Public surface of @baton/worker: the runtime (createWorker, config, DLQ operations) and the bot framework.

export {
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
export * from './framework/index.ts';
export { createDeadLetters, type DeadLetterEntry, type DeadLetters } from './runtime/dead-letters.ts';
export { BATON_SOURCE_TYPE, type BatonSource } from './runtime/idempotent-replies.ts';
export type { RuntimeBot } from './runtime/runtime-bot.ts';
export {
  AttemptClosedError,
  HandlerTimeoutError,
  NotReplayableError,
  ReplyInDoubtError,
  StaleDrainError,
  UnknownDeadLetterError,
} from './runtime/runtime-errors.ts';
export { workerKeys } from './runtime/worker-keys.ts';
export { runWorkerProcess } from './runtime/worker-process.ts';
