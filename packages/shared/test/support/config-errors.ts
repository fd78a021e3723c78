import { ConfigError } from '../../src/index.ts';

/** The ConfigError `run` throws, or `undefined` when it throws none (any other error is rethrown). */
export function thrownConfigError(run: () => unknown): ConfigError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return undefined;
}

/** The ConfigError `run` must throw (fails the test when it throws none). */
export function configError(run: () => unknown): ConfigError {
  const error = thrownConfigError(run);
  if (!error) throw new Error('expected a ConfigError');
  return error;
}

/** The problems of the ConfigError `run` throws (none when it throws none). */
export function configProblems(run: () => unknown): { variable: string; problem: string }[] {
  return [...(thrownConfigError(run)?.problems ?? [])];
}
