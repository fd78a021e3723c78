import {
  createLogger,
  createRedis,
  type Env,
  loadConfigOrExit,
  redisConnectionConfigFrom,
  serializeError,
} from '@baton/shared';
import { loadDlqConfig } from '../config.ts';
import { openRuntimeQueues } from '../runtime/open-runtime-queues.ts';
import { resolveDlqTarget } from './dlq-target.ts';
import { parseDlqArgs } from './parse-dlq-args.ts';
import { RedisUnreachableError } from './redis-unreachable-error.ts';
import { DLQ_USAGE, runDlqCommand } from './run-dlq-command.ts';
import { UsageError } from './usage-error.ts';
import { waitRedisReady } from './wait-redis-ready.ts';

/** How long the tool waits for its Redis before it gives up (exit 1). */
export const DLQ_CONNECT_TIMEOUT_MS = 5_000;

export interface DlqCliDeps {
  env: Env;
  /** The process's working directory (a relative BATON_HOME resolves from INIT_CWD, else from it). */
  cwd: string;
  usage?: string;
  /** `pnpm dlq` (default) or `baton dlq`. */
  invokedAs?: string;
  out?: (s: string) => void;
  err?: (s: string) => void;
  connectTimeoutMs?: number;
}

/**
 * The DLQ tool as a process (`pnpm dlq …`, `baton dlq …`): parses the command line (a bad one exits 2 before
 * touching Redis), loads the configuration (an invalid variable exits 2, naming it), picks the Redis
 * (`resolveDlqTarget`) and says which on stderr, connects (gives up after DLQ_CONNECT_TIMEOUT_MS, exit 1), runs
 * one command, disconnects, and resolves the exit code.
 */
export async function runDlqCli(argv: readonly string[], deps: DlqCliDeps): Promise<number> {
  const out = deps.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = deps.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  const invokedAs = deps.invokedAs ?? 'pnpm dlq';
  const usage = deps.usage ?? DLQ_USAGE;
  let request: ReturnType<typeof parseDlqArgs>;
  try {
    request = parseDlqArgs(argv, invokedAs);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(error.message);
    return 2;
  }
  if (request.command === 'help') {
    out(usage);
    return 0;
  }

  const dlqConfig = loadConfigOrExit(() => loadDlqConfig(deps.env), { service: 'dlq' });
  const target = await resolveDlqTarget(dlqConfig, deps.cwd);
  err(`dlq: reading ${target.redis}, prefix ${target.prefix} (from ${target.source})`);
  const { config } = target;
  const logger = createLogger({ level: 'error', name: 'dlq' });
  // No logger for the connection: a down Redis is reported once, below, not as a warning per reconnect.
  const redis = createRedis(redisConnectionConfigFrom(config, 'baton-dlq-cli'));
  try {
    await waitRedisReady(redis, target.redis, deps.connectTimeoutMs ?? DLQ_CONNECT_TIMEOUT_MS);
  } catch (error) {
    redis.disconnect();
    if (!(error instanceof RedisUnreachableError)) throw error;
    err(`dlq: ${error.message}`);
    return 1;
  }

  const prefix = config.BATON_PREFIX;
  const queues = openRuntimeQueues(redis, {
    prefix,
    partitions: config.MAILBOX_PARTITIONS,
    replayDedupTtlSec: config.REPLAY_DEDUP_TTL_SEC,
    onError: (what, error) => logger.error({ err: serializeError(error), queue: what }, 'queue error'),
  });
  const { deadLetters } = queues;

  let code = 1;
  try {
    code = await runDlqCommand(request, {
      deadLetters,
      out,
      err,
      usage,
      invokedAs,
      target: { redis: target.redis, prefix, source: target.source },
    });
  } catch (error) {
    err(`dlq: ${serializeError(error).message}`);
  } finally {
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
  }
  return code;
}
