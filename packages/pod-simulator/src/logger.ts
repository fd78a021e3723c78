/**
 * The slice of a pino `Logger` the simulator uses. A pino logger satisfies it structurally, so callers inject
 * theirs; without one the simulator stays silent.
 */
export interface SimLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): SimLogger;
}

const noop = (): void => {};

export const silentLogger: SimLogger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
