/**
 * The base of every error Baton throws on purpose. `code` is stable and UPPER_SNAKE (each one is listed in
 * docs/errors.md with what to do about it): callers branch on the class or on `code`, never on the message.
 * `name` is the subclass's name. A family base whose constructor takes no code (`SymphonyError`, `SimHttpError`,
 * `ConfigError`) gives its subclasses theirs by overriding the `code` field.
 */
export class BatonError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
