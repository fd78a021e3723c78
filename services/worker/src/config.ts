import { hostname } from 'node:os';
import {
  type DeepReadonly,
  type Env,
  logEnvSchema,
  parseEnv,
  redisEnvSchema,
  symphonyEnvSchema,
  tracingEnvSchema,
} from '@baton/shared';
import { z } from 'zod';

/**
 * The worker runtime's own variables (no bot's: a bot parses its own from the environment it is handed); the
 * shared Redis / Symphony / log fragments are merged in `workerEnvSchema`.
 */
export const workerFieldsSchema = z.object({
  WORKER_ID: z
    .string()
    .min(1)
    // A function default, so the value is this process's (not the one that first imported the schema), and a
    // fixed defaultText, so the generated docs do not change with the pid of whoever regenerates them.
    .default(() => `${hostname()}-${process.pid}`)
    .meta({ description: 'Identity of this worker in heartbeats and logs', defaultText: '<hostname>-<pid>' }),
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(8)
    .describe('Streams this process drains in parallel (BullMQ worker concurrency)'),
  DRAIN_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('K: events one drain handles before yielding the stream (re-scheduling itself), for fairness'),
  HANDLER_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe('N: attempts per event (retried in place, the stream waits) before it is dead-lettered'),
  HANDLER_BACKOFF_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(500)
    .describe('Backoff before the 2nd attempt; doubles each attempt'),
  HANDLER_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('Cap of the handler retry backoff'),
  HANDLER_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe(
      'An attempt (or scheduled task run) still running after this counts as failed (retried, then dead-lettered); whatever the abandoned handler posts later is dropped',
    ),
  LOCK_DURATION_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(10_000)
    .describe(
      'BullMQ lock (lease) of a drain job; a dead worker is detected after about this + STALLED_INTERVAL_MS',
    ),
  STALLED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500)
    .default(5_000)
    .describe('How often BullMQ checks for stalled drain jobs'),
  MAX_STALLED_COUNT: z.coerce
    .number()
    .int()
    .min(2)
    .default(5)
    .describe('Stalls a drain job survives before BullMQ fails it (must be > 1: a drain is idempotent)'),
  SEND_RATE_PER_STREAM: z.coerce
    .number()
    .positive()
    .default(2)
    .describe('Sustained messages per second the bot posts to one stream (shared by all replicas)'),
  SEND_BURST_PER_STREAM: z.coerce
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('Messages one stream may receive back to back before SEND_RATE_PER_STREAM applies'),
  IDEMPOTENCY_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .default(172_800)
    .describe('Lifetime of the processed-event and reply marks (keep ≥ the ingester dedup window)'),
  REPLAY_DEDUP_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .default(86_400)
    .describe('Dedup window used when `dlq replay` re-enqueues an event'),
  HEARTBEAT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(200)
    .default(5_000)
    .describe('Refresh period of the `workers:<id>` heartbeat key (its TTL is 3×)'),
  OPS_PORT: z.coerce
    .number()
    .int()
    .min(-1)
    .max(65_535)
    .default(9_464)
    .describe('Port of /healthz, /readyz and /metrics (0 = any free port, -1 = disabled)'),
  OPS_HOST: z.string().default('0.0.0.0').describe('Bind address of the ops server'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(60_000)
    .describe('SIGTERM: how long to wait for the events in hand before exiting anyway'),
  WORKER_NICE: z.coerce
    .number()
    .int()
    .min(0)
    .max(19)
    .default(5)
    .describe(
      'CPU scheduling priority (nice) the worker process lowers itself to at start, so the ingester wins a short CPU (0 = leave it)',
    ),
});

export type WorkerFields = z.infer<typeof workerFieldsSchema>;

/** What `createWorker` needs: Redis plus the worker's own variables (no Symphony credentials). */
export const workerRuntimeEnvSchema = redisEnvSchema.extend(workerFieldsSchema.shape);
export type WorkerRuntimeConfig = DeepReadonly<z.infer<typeof workerRuntimeEnvSchema>>;

/** Which bot the worker process runs. */
export const botModuleEnvSchema = z.object({
  BOT_MODULE: z
    .string()
    .min(1)
    .describe(
      'The bot to run: a file path (relative to the working directory) or a package name, whose `default` (or `bot`) export is a bot or a bot factory',
    ),
});

/**
 * The worker process's whole configuration: Symphony, Redis, logging, the worker's own variables and the bot. The
 * bot account is optional here: with SYMPHONY_APP_ID + SYMPHONY_APP_PRIVATE_KEY and no SYMPHONY_BOT_USERNAME (nor
 * bot key) the worker runs app-only (scheduled tasks, `ctx.obo`; docs/worker.md).
 */
export const workerEnvSchema = symphonyEnvSchema
  .extend({
    SYMPHONY_BOT_USERNAME: symphonyEnvSchema.shape.SYMPHONY_BOT_USERNAME.optional().describe(
      'Username of the bot service account (the JWT `sub`). Unset, with SYMPHONY_APP_ID and no bot key: an app-only worker (scheduled tasks and ctx.obo only)',
    ),
  })
  .extend(logEnvSchema.shape)
  .extend(tracingEnvSchema.shape)
  .extend(workerRuntimeEnvSchema.shape)
  .extend(botModuleEnvSchema.shape);
export type WorkerConfig = DeepReadonly<z.infer<typeof workerEnvSchema>>;

/** Reads, coerces, defaults and freezes the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): WorkerConfig {
  return parseEnv(workerEnvSchema, env, { service: 'worker' });
}

/** The Redis + worker subset only (tests, and tools such as `pnpm dlq` that never call Symphony). */
export function loadRuntimeConfig(env: Env = process.env): WorkerRuntimeConfig {
  return parseEnv(workerRuntimeEnvSchema, env, { service: 'worker' });
}

/**
 * The DLQ tool's own variables (`pnpm dlq`, `baton dlq`): where to look for a `baton dev` stack record when
 * REDIS_URL is unset.
 */
export const dlqFieldsSchema = z.object({
  BATON_HOME: z.string().min(1).optional().meta({
    description:
      'Folder of a `baton dev` stack: when REDIS_URL is unset, the tool reads the Redis and prefix of the running stack from BATON_HOME/stack.json',
    defaultText: '<dir>/.baton',
  }),
  INIT_CWD: z
    .string()
    .optional()
    .describe(
      'Set by pnpm: the directory `pnpm dlq` was run from (a relative BATON_HOME is resolved from it)',
    ),
});

/**
 * The DLQ tool's configuration: the worker's Redis + runtime variables, with REDIS_URL and BATON_PREFIX left
 * undefined when unset (so the tool can tell "unset" from the default and use a stack record instead).
 */
export const dlqEnvSchema = workerRuntimeEnvSchema.extend(dlqFieldsSchema.shape).extend({
  REDIS_URL: workerRuntimeEnvSchema.shape.REDIS_URL.unwrap().optional(),
  BATON_PREFIX: workerRuntimeEnvSchema.shape.BATON_PREFIX.unwrap().optional(),
});
export type DlqConfig = DeepReadonly<z.infer<typeof dlqEnvSchema>>;

/** Reads the DLQ tool's configuration; throws ConfigError naming every bad variable. */
export function loadDlqConfig(env: Env = process.env): DlqConfig {
  return parseEnv(dlqEnvSchema, env, { service: 'dlq' });
}
