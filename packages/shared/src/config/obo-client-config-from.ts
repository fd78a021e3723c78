import type { OboClientConfig } from '../symphony/create-obo-clients.ts';
import type { DeepReadonly } from './deep-freeze.ts';
import { type SymphonyConnectionEnv, symphonyConnectionFrom } from './symphony-connection-from.ts';
import type { SymphonyEnv } from './symphony-env.ts';

/** The Symphony fragment's variables `oboClientConfigFrom` reads (the bot's credentials are not among them). */
export type OboEnv = Pick<
  SymphonyEnv,
  | 'SYMPHONY_POD_URL'
  | 'SYMPHONY_AGENT_URL'
  | 'SYMPHONY_AGENT_URLS'
  | 'SYMPHONY_LOGIN_URL'
  | 'SYMPHONY_APP_ID'
  | 'SYMPHONY_APP_PRIVATE_KEY'
  | 'SYMPHONY_OBO_SESSION_MAX_AGE_MS'
> &
  SymphonyConnectionEnv;

/**
 * The on-behalf-of clients' config from parsed `symphonyEnvSchema` fields, or undefined when no app is configured
 * (SYMPHONY_APP_ID + SYMPHONY_APP_PRIVATE_KEY; parseEnv already checked they come together). Same URLs, CA,
 * proxy, timeout and retries as the bot's client, but one agent (the first node when several are configured).
 */
export function oboClientConfigFrom(env: DeepReadonly<OboEnv>): OboClientConfig | undefined {
  if (!env.SYMPHONY_APP_ID || !env.SYMPHONY_APP_PRIVATE_KEY) return undefined;
  return {
    podUrl: env.SYMPHONY_POD_URL,
    // One agent: OBO calls are not load balanced; the first of SYMPHONY_AGENT_URLS when several are given.
    agentUrl: env.SYMPHONY_AGENT_URLS?.[0] ?? env.SYMPHONY_AGENT_URL ?? env.SYMPHONY_POD_URL,
    loginUrl: env.SYMPHONY_LOGIN_URL ?? env.SYMPHONY_POD_URL,
    appId: env.SYMPHONY_APP_ID,
    appPrivateKeyPem: env.SYMPHONY_APP_PRIVATE_KEY,
    sessionMaxAgeMs: env.SYMPHONY_OBO_SESSION_MAX_AGE_MS,
    ...symphonyConnectionFrom(env),
  };
}
