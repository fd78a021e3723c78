import { z } from 'zod';
import { envBoolean } from './env-boolean.ts';
import { envHttpUrl, envPem, envPositiveInt } from './env-fragments.ts';
import type { SymphonyConfigFileInfo } from './symphony-config-file-layer.ts';

/** `SYMPHONY_RETRY_MAX_ATTEMPTS`: a positive integer, or -1 for unbounded (the BDK's convention). */
const retryAttempts = () =>
  z.coerce
    .number({ error: 'expected a positive integer or -1' })
    .int('expected a positive integer or -1')
    .refine((n) => n === -1 || n >= 1, 'expected a positive integer or -1');

/** `SYMPHONY_AGENT_URLS`: comma-separated http(s) origins, at least one, parsed to a list. */
const agentUrlList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== ''),
    )
    .pipe(z.array(envHttpUrl()).min(1, 'expected a comma-separated list of agent http(s) URLs'));

/** The Symphony connection variables, shared by every service that talks to a pod. */
export const symphonyEnvSchema = z.object({
  SYMPHONY_POD_URL: envHttpUrl().describe('Pod origin, e.g. https://acme.symphony.com (no /pod suffix)'),
  SYMPHONY_AGENT_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Agent origin (no /agent suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_AGENT_URLS: agentUrlList()
    .optional()
    .describe(
      'Several agent origins, comma-separated, instead of SYMPHONY_AGENT_URL: calls are load balanced over them and move to the next one when an agent fails (docs/configuration.md, "Agent load balancing")',
    ),
  SYMPHONY_AGENT_LB_MODE: z
    .enum(['roundRobin', 'random', 'external'], {
      error: 'expected roundRobin, random or external',
    })
    .default('roundRobin')
    .describe(
      'How agent calls spread over the agent URLs (BDK agent.loadBalancing.mode): roundRobin, random, or external (one URL, your load balancer, in SYMPHONY_AGENT_URL or SYMPHONY_AGENT_URLS: a call is sent through it again at once when an agent fails)',
    ),
  SYMPHONY_AGENT_LB_STICKINESS: envBoolean()
    .default(true)
    .describe(
      'true: every agent call goes to one node until it fails; false: a new node per call. The datafeed always stays on one node until it fails',
    ),
  SYMPHONY_AGENT_NODE_DOWN_MS: envPositiveInt()
    .default(30_000)
    .describe('How long an agent node that failed is left out of the picks (ms)'),
  SYMPHONY_KEY_MANAGER_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Key manager origin (no /relay suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_LOGIN_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Session auth origin (no /login suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_CONFIG_FILE: z
    .custom<SymphonyConfigFileInfo>(
      (v) => typeof v === 'object' && v !== null && 'path' in v,
      'expected the path of a BDK config file',
    )
    .optional()
    .describe(
      'A Symphony BDK config.yaml / config.json, read as-is (docs/configuration.md, "The BDK config file"); the variables here override its values',
    ),
  SYMPHONY_SESSION_AUTH_URL: envHttpUrl().optional().meta({
    description: 'Certificate auth origin of the pod (no /sessionauth suffix)',
    defaultText: 'SYMPHONY_POD_URL',
  }),
  SYMPHONY_KEY_AUTH_URL: envHttpUrl().optional().meta({
    description: 'Certificate auth origin of the key manager (no /keyauth suffix)',
    defaultText: 'SYMPHONY_KEY_MANAGER_URL',
  }),
  SYMPHONY_BOT_USERNAME: z
    .string({ error: 'expected the bot service account username' })
    .min(1, 'expected the bot service account username')
    .describe('Username of the bot service account (the JWT `sub`)'),
  SYMPHONY_PRIVATE_KEY: envPem('private key')
    .optional()
    .describe(
      'RSA private key of the bot, PEM (PKCS#8 or PKCS#1); usually given as a file via SYMPHONY_PRIVATE_KEY_FILE. Required unless a certificate is set',
    ),
  SYMPHONY_CERT: envPem('certificate')
    .optional()
    .describe(
      'Certificate authentication: the bot certificate (chain), PEM, whose CN is the bot username; with SYMPHONY_CERT_KEY. Usually via SYMPHONY_CERT_FILE',
    ),
  SYMPHONY_CERT_KEY: envPem('private key')
    .optional()
    .describe(
      'Certificate authentication: the private key of SYMPHONY_CERT, PEM; usually via SYMPHONY_CERT_KEY_FILE',
    ),
  SYMPHONY_CERT_PKCS12_PATH: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Certificate authentication: path of a PKCS#12 (.p12/.pfx) file with the bot certificate and key, instead of SYMPHONY_CERT + SYMPHONY_CERT_KEY',
    ),
  SYMPHONY_CERT_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Password of the PKCS#12 file, or passphrase of an encrypted SYMPHONY_CERT_KEY'),
  SYMPHONY_APP_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      'On-behalf-of (OBO): id of the extension app registered on the pod (the `sub` of its JWT); with SYMPHONY_APP_PRIVATE_KEY. Enables ctx.obo(user)',
    ),
  SYMPHONY_APP_PRIVATE_KEY: envPem('private key')
    .optional()
    .describe(
      'On-behalf-of (OBO): RSA private key of the app, PEM (PKCS#8 or PKCS#1), matching the public key registered for SYMPHONY_APP_ID; usually via SYMPHONY_APP_PRIVATE_KEY_FILE',
    ),
  SYMPHONY_OBO_SESSION_MAX_AGE_MS: envPositiveInt()
    .default(3_000_000)
    .describe(
      'On-behalf-of (OBO): longest time a user session is reused before logging the user in again, in ms (a 401 renews it sooner)',
    ),
  SYMPHONY_CA_CERT: envPem('certificate')
    .optional()
    .describe(
      'Extra CA certificate(s), PEM, for pods behind a private CA; usually via SYMPHONY_CA_CERT_FILE',
    ),
  HTTPS_PROXY: envHttpUrl()
    .optional()
    .describe('HTTP(S) proxy for all Symphony calls, e.g. http://proxy:3128'),
  SYMPHONY_TIMEOUT_MS: envPositiveInt().default(20_000).describe('Timeout of one Symphony REST call, in ms'),
  SYMPHONY_DATAFEED_TIMEOUT_MS: envPositiveInt()
    .default(35_000)
    .describe('Timeout of one datafeed long-poll read, in ms (the agent holds a read ~30 s)'),
  SYMPHONY_RETRY_MAX_ATTEMPTS: retryAttempts()
    .default(5)
    .describe('Attempts of one Symphony REST call (5xx, 429, network errors, timeouts); -1 = unbounded'),
  SYMPHONY_RETRY_INITIAL_INTERVAL_MS: envPositiveInt()
    .default(500)
    .describe('Wait before the 2nd attempt of a REST call, in ms (then multiplied, with jitter)'),
  SYMPHONY_RETRY_MULTIPLIER: z.coerce
    .number({ error: 'expected a number >= 1' })
    .min(1, 'expected a number >= 1')
    .default(2)
    .describe('Factor between two successive retry waits'),
  SYMPHONY_RETRY_MAX_INTERVAL_MS: envPositiveInt()
    .default(30_000)
    .describe('Cap of one computed retry wait (before jitter), in ms'),
  SYMPHONY_RETRY_AFTER_MAX_MS: envPositiveInt()
    .default(60_000)
    .describe(
      "Cap of a server's Retry-After (429), in ms: a longer one is waited for this long instead, and logged",
    ),
});

export type SymphonyEnv = z.infer<typeof symphonyEnvSchema>;
