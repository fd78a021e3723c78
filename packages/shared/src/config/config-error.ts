import { BatonError } from '../errors/baton-error.ts';

/** Invalid or missing configuration; the message names every bad variable. Thrown at startup only. */
export class ConfigError extends BatonError {
  /** One entry per bad variable: `{ variable, problem }`. */
  readonly problems: readonly { variable: string; problem: string }[];

  constructor(
    message: string,
    problems: readonly { variable: string; problem: string }[],
    options?: { cause?: unknown },
  ) {
    super('CONFIG_INVALID', message, options);
    this.problems = problems;
  }
}
