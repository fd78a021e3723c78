import type { E2EStackOptions } from '@baton/worker/testing';

/**
 * `stackTest`'s options for a reference-bot test: the worker's real main running the reference bot, its market
 * data at a closed port (quotes fail) unless `workerEnv` names one.
 */
export function referenceStackOptions(
  workerEnv: Record<string, string> = {},
): Omit<E2EStackOptions, 'redisUrl'> {
  return { entry: 'reference', workerEnv: { MARKET_DATA_URL: 'http://127.0.0.1:9', ...workerEnv } };
}
