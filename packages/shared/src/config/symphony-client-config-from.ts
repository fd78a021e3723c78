import type { SymphonyClientConfig } from '../symphony/client-config.ts';
import type { SymphonyEnv } from './symphony-env.ts';

/** Maps parsed `symphonyEnvSchema` fields to the client's config (agent/KM/login default to the pod). */
export function symphonyClientConfigFrom(env: Readonly<SymphonyEnv>): SymphonyClientConfig {
  return {
    podUrl: env.SYMPHONY_POD_URL,
    agentUrl: env.SYMPHONY_AGENT_URL ?? env.SYMPHONY_POD_URL,
    keyManagerUrl: env.SYMPHONY_KEY_MANAGER_URL ?? env.SYMPHONY_POD_URL,
    loginUrl: env.SYMPHONY_LOGIN_URL ?? env.SYMPHONY_POD_URL,
    botUsername: env.SYMPHONY_BOT_USERNAME,
    privateKeyPem: env.SYMPHONY_PRIVATE_KEY,
    ...(env.SYMPHONY_CA_CERT ? { caCertPem: env.SYMPHONY_CA_CERT } : {}),
    ...(env.HTTPS_PROXY ? { proxyUrl: env.HTTPS_PROXY } : {}),
    timeoutMs: env.SYMPHONY_TIMEOUT_MS,
    datafeedTimeoutMs: env.SYMPHONY_DATAFEED_TIMEOUT_MS,
  };
}
