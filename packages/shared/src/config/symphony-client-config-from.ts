import { readFileSync } from 'node:fs';
import type { ClientCertificate, SymphonyClientConfig } from '../symphony/client-config.ts';
import type { DeepReadonly } from './deep-freeze.ts';
import type { SymphonyEnv } from './symphony-env.ts';

/**
 * Maps parsed `symphonyEnvSchema` fields to the client's config (agent/KM/login/session auth default to the pod,
 * key auth to the key manager; the agent nodes are `SYMPHONY_AGENT_URLS`, else the one agent URL). A PKCS#12 certificate is read here (parseEnv already checked that it opens).
 */
export function symphonyClientConfigFrom(env: DeepReadonly<SymphonyEnv>): SymphonyClientConfig {
  const passphrase = env.SYMPHONY_CERT_PASSWORD ? { passphrase: env.SYMPHONY_CERT_PASSWORD } : {};
  let certificate: ClientCertificate | undefined;
  if (env.SYMPHONY_CERT_PKCS12_PATH) {
    certificate = { pfx: readFileSync(env.SYMPHONY_CERT_PKCS12_PATH), ...passphrase };
  } else if (env.SYMPHONY_CERT && env.SYMPHONY_CERT_KEY) {
    certificate = { certPem: env.SYMPHONY_CERT, keyPem: env.SYMPHONY_CERT_KEY, ...passphrase };
  }
  const keyManagerUrl = env.SYMPHONY_KEY_MANAGER_URL ?? env.SYMPHONY_POD_URL;
  const unbounded = (n: number): number => (n === -1 ? Number.POSITIVE_INFINITY : n);
  return {
    podUrl: env.SYMPHONY_POD_URL,
    agentUrl: env.SYMPHONY_AGENT_URL ?? env.SYMPHONY_POD_URL,
    agentLoadBalancing: {
      mode: env.SYMPHONY_AGENT_LB_MODE,
      nodes: env.SYMPHONY_AGENT_URLS ?? [env.SYMPHONY_AGENT_URL ?? env.SYMPHONY_POD_URL],
      stickiness: env.SYMPHONY_AGENT_LB_STICKINESS,
      nodeDownMs: env.SYMPHONY_AGENT_NODE_DOWN_MS,
    },
    keyManagerUrl,
    loginUrl: env.SYMPHONY_LOGIN_URL ?? env.SYMPHONY_POD_URL,
    sessionAuthUrl: env.SYMPHONY_SESSION_AUTH_URL ?? env.SYMPHONY_POD_URL,
    keyAuthUrl: env.SYMPHONY_KEY_AUTH_URL ?? keyManagerUrl,
    botUsername: env.SYMPHONY_BOT_USERNAME,
    ...(certificate ? { certificate } : { privateKeyPem: env.SYMPHONY_PRIVATE_KEY }),
    ...(env.SYMPHONY_CA_CERT ? { caCertPem: env.SYMPHONY_CA_CERT } : {}),
    ...(env.HTTPS_PROXY ? { proxyUrl: env.HTTPS_PROXY } : {}),
    timeoutMs: env.SYMPHONY_TIMEOUT_MS,
    datafeedTimeoutMs: env.SYMPHONY_DATAFEED_TIMEOUT_MS,
    retry: {
      maxAttempts: unbounded(env.SYMPHONY_RETRY_MAX_ATTEMPTS),
      initialDelayMs: env.SYMPHONY_RETRY_INITIAL_INTERVAL_MS,
      multiplier: env.SYMPHONY_RETRY_MULTIPLIER,
      maxDelayMs: env.SYMPHONY_RETRY_MAX_INTERVAL_MS,
      maxRetryAfterMs: env.SYMPHONY_RETRY_AFTER_MAX_MS,
    },
    ...(env.SYMPHONY_CONFIG_FILE ? { notices: env.SYMPHONY_CONFIG_FILE.notices } : {}),
  };
}
