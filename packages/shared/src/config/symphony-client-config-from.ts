import { readFileSync } from 'node:fs';
import type { ClientCertificate, SymphonyClientConfig } from '../symphony/client-config.ts';
import type { DeepReadonly } from './deep-freeze.ts';
import { symphonyConnectionFrom } from './symphony-connection-from.ts';
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
    ...symphonyConnectionFrom(env),
    datafeedTimeoutMs: env.SYMPHONY_DATAFEED_TIMEOUT_MS,
    ...(env.SYMPHONY_CONFIG_FILE ? { notices: env.SYMPHONY_CONFIG_FILE.notices } : {}),
  };
}
