import { resolve } from 'node:path';
import { ConfigError, type DeepReadonly, type Env, envBoolean, parseEnv } from '@baton/shared';
import { z } from 'zod';

const port = (fallback: number, what: string) =>
  z.coerce
    .number({ error: 'expected a port number' })
    .int()
    .min(0)
    .max(65_535)
    .default(fallback)
    .describe(`${what} (0 = pick a free port)`);

const positiveInt = () => z.coerce.number({ error: 'expected a positive integer' }).int().positive();

/** `baton dev` (and the repository's `pnpm start`): the variables of the one-machine development stack. */
export const startConfigSchema = z.object({
  BATON_ENV_FILE: z.string().optional().meta({
    description: 'The .env file to read (read before everything else)',
    defaultText: '<project>/.env',
  }),
  BATON_HOME: z.string().min(1).optional().meta({
    description: 'Folder for generated keys, the seed file and Redis data',
    defaultText: '<project>/.baton',
  }),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
    .optional()
    .describe(
      'Use this Redis; when unset, `baton dev` runs its own redis-server (data under BATON_HOME/redis)',
    ),
  START_REDIS_PORT: port(6390, 'Port of the redis-server started when REDIS_URL is unset'),
  BATON_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'expected letters, digits, _ . : -')
    .default('baton')
    .describe('Prefix of every Redis key and queue of this stack'),
  SYMPHONY_POD_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe('A real pod: when set, no simulator is started and the SYMPHONY_* variables are used as given'),
  SYMPHONY_BOT_USERNAME: z
    .string()
    .min(1)
    .default('baton-bot')
    .describe('Username of the bot service account'),
  SYMPHONY_PRIVATE_KEY_FILE: z.string().min(1).optional().meta({
    description: "The bot's RSA private key (PEM file); required with a real pod",
    defaultText: 'BATON_HOME/keys/bot-private.pem (generated)',
  }),
  SIM_PORT: port(8080, 'Port of the pod simulator (chat page, pod, agent, key manager)'),
  DASHBOARD_PORT: port(3100, 'Port of the dashboard (run when @baton/dashboard is installed)'),
  MARKET_DATA_PORT: port(8090, 'Port of the fake market-data server used by /quote'),
  OPS_PORT: port(9464, 'First ops port (/healthz, /metrics): the ingester gets it, worker N gets OPS_PORT+N'),
  WORKERS: positiveInt().max(16).default(2).describe('Worker processes to run (`--workers` overrides it)'),
  INGESTERS: positiveInt()
    .max(3)
    .default(1)
    .describe(
      "Ingester processes: 1 leader, the others standbys that take the lease over when the leader dies (ops ports after the workers')",
    ),
  BOT_MODULE: z.string().min(1).optional().meta({
    description:
      'The bot the workers run: a package name, or a file path (relative to where `baton dev` was run; a .ts file runs through tsx); `--bot` overrides it',
    defaultText: './src/bot.ts (when it exists)',
  }),
  INIT_CWD: z
    .string()
    .optional()
    .describe(
      'Set by pnpm: the directory `pnpm dev` / `pnpm start` was run from (a relative BOT_MODULE is resolved from it)',
    ),
  BATON_DEV_SOURCES: envBoolean()
    .default(false)
    .describe(
      "Run the Baton packages from their TypeScript sources (src/main.ts through tsx) when they have them: the Baton repository's own dev loop (`--sources`)",
    ),
  START_MARKET_DATA: envBoolean()
    .default(true)
    .describe(
      'Run the fake market-data server with the reference bot (set false when MARKET_DATA_URL points at a real one)',
    ),
  MARKET_DATA_URL: z
    .url()
    .optional()
    .meta({ description: 'Market-data endpoint for /quote', defaultText: 'the fake server started here' }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level of every process'),
  START_LOG_FORMAT: z
    .enum(['pretty', 'json'])
    .default('pretty')
    .describe('pretty: one readable line per log record; json: the raw pino lines, prefixed'),
  START_ON_CRASH: z
    .enum(['restart', 'exit'])
    .default('restart')
    .describe('When a process dies unexpectedly: restart it with a back-off, or stop everything and exit 1'),
  START_MAX_RESTARTS: positiveInt()
    .default(5)
    .describe('Crashes of one process within a minute after which the stack gives up and exits 1'),
  START_HEALTH_TIMEOUT_MS: positiveInt()
    .default(90_000)
    .describe('How long to wait for every process to be healthy'),
  START_IF_RUNNING: z
    .enum(['ask', 'stop', 'exit'])
    .default('ask')
    .describe(
      'When processes of an earlier `baton dev` of this BATON_HOME still run: ask (on a terminal; elsewhere exit 2), stop them first, or exit 2 saying how to stop them',
    ),
  START_STOP_TIMEOUT_MS: positiveInt()
    .default(10_000)
    .describe('On Ctrl-C / SIGTERM: how long processes get to exit before SIGKILL'),
});

export type StartConfig = DeepReadonly<z.infer<typeof startConfigSchema>> & {
  /** BATON_HOME resolved to an absolute path. */
  readonly home: string;
  /** Whether the stack runs the pod simulator (no SYMPHONY_POD_URL given). */
  readonly simulated: boolean;
};

/** Reads, coerces, defaults and freezes the stack configuration; throws ConfigError naming every bad variable. */
export function loadStartConfig(env: Env, projectDir: string): StartConfig {
  const parsed = parseEnv(startConfigSchema, env, { service: 'baton dev' });
  const realPod = parsed.SYMPHONY_POD_URL !== undefined;
  if (realPod && parsed.SYMPHONY_PRIVATE_KEY_FILE === undefined && !env['SYMPHONY_PRIVATE_KEY']) {
    const problem =
      "required with a real pod (SYMPHONY_POD_URL is set): the bot's RSA private key (PEM file)";
    throw new ConfigError(`Invalid configuration for baton dev:\n  - SYMPHONY_PRIVATE_KEY_FILE: ${problem}`, [
      { variable: 'SYMPHONY_PRIVATE_KEY_FILE', problem },
    ]);
  }
  return Object.freeze({
    ...parsed,
    home: resolve(projectDir, parsed.BATON_HOME ?? '.baton'),
    simulated: !realPod,
  });
}
