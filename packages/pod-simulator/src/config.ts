import { z } from 'zod';

const optionalInt = (min: number) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(min).optional());

/** `pnpm sim` configuration (environment variables). */
export const simConfigSchema = z.object({
  SIM_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8443)
    .describe('Port to listen on (0 = random).'),
  SIM_HOST: z.string().default('127.0.0.1').describe('Interface to bind.'),
  SIM_SEED: z
    .string()
    .optional()
    .describe('Path to a JSON or YAML seed file (users, rooms, IMs); see seed.example.yaml.'),
  SIM_HTTPS: z
    .enum(['', 'off', 'self-signed'])
    .default('')
    .describe('"self-signed" serves HTTPS with a generated certificate (written to SIM_CA_OUT if set).'),
  SIM_CA_OUT: z
    .string()
    .optional()
    .describe('Where to write the self-signed certificate PEM for clients to trust.'),
  SIM_LONG_POLL_MS: optionalInt(0).describe('Datafeed read hold when nothing is queued (default 30000).'),
  SIM_REDELIVERY_MS: optionalInt(0).describe(
    'Datafeed v2 redelivery delay of unacknowledged events (default 30000).',
  ),
  SIM_FEED_TTL_MS: optionalInt(1).describe('Datafeed v2 TTL without reads (default 1800000).'),
  SIM_AGENTS: optionalInt(0).describe(
    'Extra agent front-ends over the same pod, each on its own port, for agent load balancing and failover (default 0).',
  ),
  SIM_AGENT_PORTS: z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'expected a comma-separated list of ports')
    .transform((v) => v.split(',').map((p) => Number(p.trim())))
    .optional()
    .describe('Ports of the extra agent front-ends, comma-separated (default: free ports).'),
  INIT_CWD: z
    .string()
    .optional()
    .describe(
      'Set by pnpm: the directory `pnpm sim` was run from; SIM_SEED and SIM_CA_OUT resolve against it.',
    ),
  SIM_LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'])
    .default('info')
    .describe('Console log level.'),
});

export type SimConfig = Readonly<z.infer<typeof simConfigSchema>>;

export function loadConfig(env: Record<string, string | undefined> = process.env): SimConfig {
  return Object.freeze(simConfigSchema.parse(env));
}
