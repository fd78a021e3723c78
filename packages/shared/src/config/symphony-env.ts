import { z } from 'zod';
import { envHttpUrl, envPem, envPositiveInt } from './env-fragments.ts';

/** The Symphony connection variables, shared by every service that talks to a pod. */
export const symphonyEnvSchema = z.object({
  SYMPHONY_POD_URL: envHttpUrl().describe('Pod origin, e.g. https://acme.symphony.com (no /pod suffix)'),
  SYMPHONY_AGENT_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Agent origin (no /agent suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_KEY_MANAGER_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Key manager origin (no /relay suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_LOGIN_URL: envHttpUrl()
    .optional()
    .meta({ description: 'Session auth origin (no /login suffix)', defaultText: 'SYMPHONY_POD_URL' }),
  SYMPHONY_BOT_USERNAME: z
    .string({ error: 'expected the bot service account username' })
    .min(1, 'expected the bot service account username')
    .describe('Username of the bot service account (the JWT `sub`)'),
  SYMPHONY_PRIVATE_KEY: envPem('private key').describe(
    'RSA private key of the bot, PEM (PKCS#8 or PKCS#1); usually given as a file via SYMPHONY_PRIVATE_KEY_FILE',
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
});

export type SymphonyEnv = z.infer<typeof symphonyEnvSchema>;
