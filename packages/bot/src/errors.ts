/** Coded errors of the bot framework: callers branch on the class (or `code`), never on the message. */
export class BotFrameworkError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

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
