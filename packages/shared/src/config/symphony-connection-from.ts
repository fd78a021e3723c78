import type { DeepReadonly } from './deep-freeze.ts';
import type { SymphonyEnv } from './symphony-env.ts';

/** The Symphony fragment's variables `symphonyConnectionFrom` reads. */
export type SymphonyConnectionEnv = Pick<
  SymphonyEnv,
  | 'SYMPHONY_CA_CERT'
  | 'HTTPS_PROXY'
  | 'SYMPHONY_TIMEOUT_MS'
  | 'SYMPHONY_RETRY_MAX_ATTEMPTS'
  | 'SYMPHONY_RETRY_INITIAL_INTERVAL_MS'
  | 'SYMPHONY_RETRY_MULTIPLIER'
  | 'SYMPHONY_RETRY_MAX_INTERVAL_MS'
  | 'SYMPHONY_RETRY_AFTER_MAX_MS'
>;

/**
 * What the bot's client and the on-behalf-of clients share, from parsed `symphonyEnvSchema` fields: the CA, the
 * proxy, the request timeout and the retries (`SYMPHONY_RETRY_MAX_ATTEMPTS=-1`: no bound).
 */
export function symphonyConnectionFrom(env: DeepReadonly<SymphonyConnectionEnv>) {
  const maxAttempts = env.SYMPHONY_RETRY_MAX_ATTEMPTS;
  return {
    ...(env.SYMPHONY_CA_CERT ? { caCertPem: env.SYMPHONY_CA_CERT } : {}),
    ...(env.HTTPS_PROXY ? { proxyUrl: env.HTTPS_PROXY } : {}),
    timeoutMs: env.SYMPHONY_TIMEOUT_MS,
    retry: {
      maxAttempts: maxAttempts === -1 ? Number.POSITIVE_INFINITY : maxAttempts,
      initialDelayMs: env.SYMPHONY_RETRY_INITIAL_INTERVAL_MS,
      multiplier: env.SYMPHONY_RETRY_MULTIPLIER,
      maxDelayMs: env.SYMPHONY_RETRY_MAX_INTERVAL_MS,
      maxRetryAfterMs: env.SYMPHONY_RETRY_AFTER_MAX_MS,
    },
  };
}
