import { BatonError } from '@baton/shared/errors';

/**
 * Base of the bot framework's coded errors (a `BatonError`): callers branch on the class (or `code`), never on the
 * message. Every code is listed in docs/errors.md.
 */
export class BotFrameworkError extends BatonError {}

/** A command pattern is malformed (thrown at registration, i.e. at startup). */
export class CommandPatternError extends BotFrameworkError {
  constructor(pattern: string, reason: string) {
    super('BAD_COMMAND_PATTERN', `Invalid command pattern "${pattern}": ${reason}`);
  }
}

/** Two handlers were registered for the same thing (command, form id, task or step name). */
export class DuplicateRegistrationError extends BotFrameworkError {
  constructor(kind: string, name: string) {
    super('DUPLICATE_REGISTRATION', `${kind} "${name}" is already registered`);
  }
}

/** A scheduled task arrived for which no handler is registered. */
export class UnknownTaskError extends BotFrameworkError {
  constructor(name: string) {
    super('UNKNOWN_TASK', `No task handler registered for "${name}"`);
  }
}

/** `ctx.conversation.expect(step)` named a step for which no handler is registered. */
export class UnknownStepError extends BotFrameworkError {
  constructor(step: string) {
    super('UNKNOWN_STEP', `No step handler registered for "${step}"`);
  }
}

/** A middleware called `next()` a second time in the same dispatch. */
export class NextCalledTwiceError extends BotFrameworkError {
  constructor() {
    super('NEXT_CALLED_TWICE', 'middleware called next() twice');
  }
}

/**
 * `ctx.obo(user)` was called but the runtime has no on-behalf-of app (set SYMPHONY_APP_ID and
 * SYMPHONY_APP_PRIVATE_KEY for the worker; `createTestBot(bot, { obo: {} })` in tests).
 */
export class OboNotConfiguredError extends BotFrameworkError {
  constructor() {
    super(
      'OBO_NOT_CONFIGURED',
      'ctx.obo(user) needs an on-behalf-of app: set SYMPHONY_APP_ID and SYMPHONY_APP_PRIVATE_KEY for the worker',
    );
  }
}
