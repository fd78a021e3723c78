import type { RetryPolicyWithJitter } from './retry-policy.ts';

/** Everything `createSymphonyClient` needs. URLs are origins (optionally with a base path), without `/pod` etc. */
export interface SymphonyClientConfig {
  /** Pod origin, e.g. `https://acme.symphony.com`; `/pod/...` is appended. */
  podUrl: string;
  /** Agent origin; `/agent/...` is appended. Defaults to `podUrl`. */
  agentUrl?: string;
  /** Key manager origin; `/relay/...` is appended. Defaults to `podUrl`. */
  keyManagerUrl?: string;
  /** Session auth origin; `/login/...` is appended. Defaults to `podUrl`. */
  loginUrl?: string;
  botUsername: string;
  /** RSA private key, PEM, PKCS#8 or PKCS#1. Kept in memory only; never logged. */
  privateKeyPem: string;
  /** Extra CA certificate(s), PEM, trusted on top of Node's defaults (corporate / self-signed pods). */
  caCertPem?: string;
  /** HTTP(S) proxy URL for every call, e.g. `http://proxy.corp:3128`. */
  proxyUrl?: string;
  /** Per-request timeout in ms (default 20 000). */
  timeoutMs?: number;
  /** Timeout for datafeed/datahose long polls in ms (default 35 000: the agent holds reads ~30 s). */
  datafeedTimeoutMs?: number;
  /** Default retry policy for every call; calls can override it. */
  retry?: Partial<RetryPolicyWithJitter>;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_DATAFEED_TIMEOUT_MS = 35_000;

export type ResolvedSymphonyClientConfig = Required<
  Omit<SymphonyClientConfig, 'caCertPem' | 'proxyUrl' | 'retry'>
> &
  Pick<SymphonyClientConfig, 'caCertPem' | 'proxyUrl'> & { retry: Partial<RetryPolicyWithJitter> };

export function resolveClientConfig(config: SymphonyClientConfig): ResolvedSymphonyClientConfig {
  const trim = (url: string): string => url.replace(/\/+$/, '');
  return {
    ...config,
    podUrl: trim(config.podUrl),
    agentUrl: trim(config.agentUrl ?? config.podUrl),
    keyManagerUrl: trim(config.keyManagerUrl ?? config.podUrl),
    loginUrl: trim(config.loginUrl ?? config.podUrl),
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    datafeedTimeoutMs: config.datafeedTimeoutMs ?? DEFAULT_DATAFEED_TIMEOUT_MS,
    retry: config.retry ?? {},
  };
}
