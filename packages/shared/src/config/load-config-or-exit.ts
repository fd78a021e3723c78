import { ConfigError } from './config-error.ts';

export interface LoadConfigOrExitOptions {
  /** Names the process in the message when the error's own text does not. */
  service: string;
  /** Test hooks (default: `process.stderr.write`, `process.exit`). */
  write?: (text: string) => void;
  exit?: (code: number) => never;
}

/** Exit code of a process that stopped on invalid configuration (distinct from a crash's 1). */
export const CONFIG_ERROR_EXIT_CODE = 2;

/**
 * Process entries call this instead of `loadConfig()` directly: on `ConfigError` the message (which names every
 * bad variable) goes to stderr, without a stack, and the process exits with code 2. Any other error is rethrown.
 * An async `load` (a bot module, whose factory parses its own variables) is handled the same way when it rejects.
 */
export function loadConfigOrExit<T>(load: () => T, options: LoadConfigOrExitOptions): T {
  const fail = (err: unknown): never => {
    if (!(err instanceof ConfigError)) throw err;
    const write = options.write ?? ((text: string) => process.stderr.write(text));
    const exit = options.exit ?? ((code: number) => process.exit(code));
    const text = err.message.includes(options.service) ? err.message : `${options.service}: ${err.message}`;
    write(`${text}\n`);
    return exit(CONFIG_ERROR_EXIT_CODE);
  };
  try {
    const result = load();
    // The cast keeps T: a promise in, the same promise type out, rejected only by errors other than ConfigError.
    return (result instanceof Promise ? result.catch(fail) : result) as T;
  } catch (err) {
    return fail(err);
  }
}
