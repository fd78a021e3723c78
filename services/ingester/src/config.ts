import {
  type Env,
  envBoolean,
  envPositiveInt,
  logEnvSchema,
  parseEnv,
  redisEnvSchema,
  symphonyEnvSchema,
  tracingEnvSchema,
} from '@baton/shared';
import { z } from 'zod';

/** The ingester's own variables (the shared Symphony, Redis and logging fragments are merged in). */
export const ingesterEnvSchema = z.object({
  FEED_VERSION: z
    .enum(['v2', 'v1', 'datahose'])
    .default('v2')
    .describe('Which feed to read: v2 (datafeed v2, acked), v1 (deprecated, no ack) or datahose'),
  DATAHOSE_TAG: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .meta({ description: 'Datahose feed tag (1-80 chars)', defaultText: 'datahose-<SYMPHONY_BOT_USERNAME>' }),
  DATAHOSE_EVENT_TYPES: z
    .string()
    .default('MESSAGESENT')
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .describe('Comma-separated event types the datahose delivers, e.g. MESSAGESENT,SYMPHONYELEMENTSACTION'),
  INGEST_OWN_MESSAGES: envBoolean()
    .default(false)
    .describe("Also enqueue the bot's own MESSAGESENT events (for listeners that want them)"),
  DEDUP_TTL_SEC: envPositiveInt()
    .default(900)
    .describe(
      'How long an event key is remembered to drop redeliveries (s); keep >= 2x the redelivery window',
    ),
  LEADER_LEASE_MS: envPositiveInt()
    .default(10_000)
    .describe('Leader lease (ms): a standby takes over at most ~1.33x this after the leader dies'),
  OPS_HOST: z.string().default('0.0.0.0').describe('Bind address of /healthz, /readyz and /metrics'),
  OPS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(9464)
    .describe('Port of /healthz, /readyz, /metrics'),
  SWEEP_INTERVAL_MS: envPositiveInt()
    .default(2_000)
    .describe('How often the leader looks for stranded mailboxes (ms)'),
  SWEEP_AGE_MS: envPositiveInt()
    .default(5_000)
    .describe('A mailbox is checked by the sweeper once its oldest event is this old (ms)'),
  READ_TIMEOUT_MS: envPositiveInt()
    .default(35_000)
    .describe('Timeout of one feed long poll (ms); unready when no read completed for 2x this'),
  MAX_BACKOFF_MS: envPositiveInt().default(30_000).describe('Cap of the retry backoff of the read loop (ms)'),
  INGESTER_V1_READ_AHEAD: z.coerce
    .number({ error: 'expected an integer from 0 to 100' })
    .int()
    .min(0)
    .max(100)
    .default(8)
    .describe(
      'FEED_VERSION=v1 only: how many batches may be read ahead while the batch before them is stored, kept in memory until stored in order; reads pause when that many wait (0 = read only after each store). v1 has no redelivery: a SIGKILL loses what is held',
    ),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(2_000)
    .default(5_000)
    .describe(
      'SIGTERM: how long the ingester may take to store the batches in hand (v1 read-ahead: every batch read) and release its lease before it exits anyway (ms)',
    ),
  INSTANCE_ID: z.string().min(1).optional().meta({
    description: 'Name of this replica in the leader lease and logs',
    defaultText: '<hostname>-<pid>',
  }),
});

export const ingesterConfigSchema = symphonyEnvSchema
  .extend(redisEnvSchema.shape)
  .extend(logEnvSchema.shape)
  .extend(tracingEnvSchema.shape)
  .extend(ingesterEnvSchema.shape);

export type IngesterConfig = Readonly<z.infer<typeof ingesterConfigSchema>>;

/** Loads, coerces, defaults, validates and freezes the ingester's configuration. */
export function loadConfig(env: Env = process.env): IngesterConfig {
  return parseEnv(ingesterConfigSchema, env, { service: 'ingester' }) as IngesterConfig;
}
