import {
  bullmqPrefix,
  createLogger,
  createMailbox,
  createRedis,
  type Env,
  loadConfigOrExit,
  queueNames,
  redisConnectionConfigFrom,
} from '@baton/shared';
import { Queue } from 'bullmq';
import { loadRuntimeConfig } from '../config.ts';
import { createDeadLetters } from '../runtime/dead-letters.ts';
import { DLQ_USAGE, runDlqCommand } from './run-dlq-command.ts';

/**
 * The DLQ tool as a process (`pnpm dlq …`, `baton dlq …`): connects to the Redis of `env` (an invalid variable
 * exits 2, naming it), runs one command, disconnects, and resolves the exit code.
 */
export async function runDlqCli(
  argv: readonly string[],
  deps: { env: Env; usage?: string; out?: (s: string) => void; err?: (s: string) => void },
): Promise<number> {
  const out = deps.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = deps.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  const config = loadConfigOrExit(() => loadRuntimeConfig(deps.env), { service: 'dlq' });
  const logger = createLogger({ level: 'warn', name: 'dlq' });
  const redis = createRedis(redisConnectionConfigFrom(config, 'baton-dlq-cli'), { logger });
  const prefix = config.BATON_PREFIX;
  const mailbox = createMailbox(redis, { prefix, partitions: config.MAILBOX_PARTITIONS });
  const drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
  drainQueue.on('error', (error) => logger.warn({ err: error }, 'drain queue error'));
  const deadLetters = createDeadLetters({
    connection: redis,
    prefix,
    mailbox,
    drainQueue,
    dedupTtlSec: config.REPLAY_DEDUP_TTL_SEC,
    onError: (error) => logger.warn({ err: error }, 'dlq queue error'),
  });

  let code = 1;
  try {
    code = await runDlqCommand([...argv], { deadLetters, out, err, usage: deps.usage ?? DLQ_USAGE });
  } catch (error) {
    err(`dlq: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.allSettled([deadLetters.close(), drainQueue.close()]);
    await redis.quit().catch(() => redis.disconnect());
  }
  return code;
}
