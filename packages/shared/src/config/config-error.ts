/** Invalid or missing configuration; the message names every bad variable. Thrown at startup only. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One entry per bad variable: `{ variable, problem }`. */
  readonly problems: readonly { variable: string; problem: string }[];

  constructor(message: string, problems: readonly { variable: string; problem: string }[]) {
    super(message);
    this.problems = problems;
  }
}
