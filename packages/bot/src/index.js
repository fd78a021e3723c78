// Public surface of @baton/bot: everything a bot author imports (the framework, the contract with the runtime,
// the MessageML helpers and the config helpers a bot parses its own variables with). No transport here: the
// worker runtime plugs Redis, BullMQ and the Symphony client in through `runtime-contract.ts`.

// Re-exported so a bot imports only `@baton/bot`.
export { ConfigError, envBoolean, parseEnv } from '@baton/shared/config';
export {
  bold,
  button,
  card,
  cashtag,
  checkbox,
  code,
  escapeMessageML,
  Fragment,
  form,
  hashtag,
  italic,
  link,
  list,
  mention,
  messageML,
  radio,
  select,
  table,
  textArea,
  textField,
} from '@baton/shared/messageml';
export { allowOnly } from './allow-only.js';
export { defineBot } from './bot-module.js';
export { createBot } from './create-bot.js';
export {
  BotFrameworkError,
  CommandPatternError,
  DuplicateRegistrationError,
  UnknownTaskError,
} from './errors.js';
export { DEFAULT_FAILURE_TEXT } from './failure-reply.js';
export { logDispatch } from './log-dispatch.js';
export { createMemoryStateStore } from './memory-state-store.js';
export { parseCommandPattern } from './parse-command-pattern.js';
export { rateLimitPerUser } from './rate-limit-per-user.js';
//# sourceMappingURL=index.js.map
