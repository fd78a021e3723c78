// Public surface of @baton/bot: everything a bot author imports (the framework, the contract with the runtime,
// the MessageML helpers and the config helpers a bot parses its own variables with). No transport here: the
// worker runtime plugs Redis, BullMQ and the Symphony client in through `runtime-contract.ts`.

export { ConfigError, type DeepReadonly, type Env, envBoolean, parseEnv } from '@baton/shared/config';
// Re-exported so a bot imports only `@baton/bot`.
export { BatonError } from '@baton/shared/errors';
export type { BatonEvent } from '@baton/shared/events';
export type { Logger } from '@baton/shared/logging';
export {
  type ButtonOptions,
  type ChoiceOptions,
  type Content,
  escapeMessageML,
  Fragment,
  messageML,
  type SelectOption,
  type TextAreaOptions,
  type TextFieldOptions,
  type Token,
} from '@baton/shared/messageml';
// A bot project's own long-running processes (the reference bot's market-data fake) stop as Baton's services do.
export { runService, type ServiceLogger, type StoppableService } from '@baton/shared/process';
export {
  AttachmentLimitError,
  type AttachmentLimits,
  AttachmentTooLargeError,
  DEFAULT_ATTACHMENT_LIMITS,
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  type RoomAttributes,
  type RoomDetail,
  type SendMessageRequest,
  type SymphonyClient,
  type UserInfo,
  type V4MessageOut,
} from '@baton/shared/symphony-types';
export { type AllowOnlyOptions, allowOnly } from './allow-only.ts';
export { type BotFactory, type BotModuleExport, type BotModuleInit, defineBot } from './bot-module.ts';
export type * from './bot-types.ts';
export type * from './context.ts';
export { createBot } from './create-bot.ts';
export { DEFAULT_MAX_DOWNLOAD_BYTES } from './download-attachment.ts';
export {
  BotFrameworkError,
  CommandPatternError,
  DuplicateRegistrationError,
  NextCalledTwiceError,
  OboNotConfiguredError,
  UnknownStepError,
  UnknownTaskError,
} from './errors.ts';
export { DEFAULT_FAILURE_TEXT } from './failure-reply.ts';
export { type LogDispatchOptions, logDispatch } from './log-dispatch.ts';
export { createMemoryStateStore, type MemoryStateStore } from './memory-state-store.ts';
export * from './message-ml-helpers.ts';
export type { MessageMLKit } from './message-ml-kit.ts';
export { type CommandPattern, type PatternArg, parseCommandPattern } from './parse-command-pattern.ts';
export type { ArgsOf, ArgType, ArgValueMap, Mention } from './pattern-types.ts';
export { type RateLimitOptions, rateLimitPerUser } from './rate-limit-per-user.ts';
export type * from './runtime-contract.ts';
