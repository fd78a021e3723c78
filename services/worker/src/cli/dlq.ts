import {
  bullmqPrefix,
  createLogger,
  createMailbox,
  createRedis,
  loadConfigOrExit,
  queueNames,
  redisConnectionConfigFrom,
} from '@baton/shared';
import { Queue } from 'bullmq';
import { loadRuntimeConfig } from '../config.ts';
import { createDeadLetters } from '../runtime/dead-letters.ts';
import { runDlqCommand } from './run-dlq-command.ts';

// `pnpm dlq list | show <id> | replay <id|--all> | drop <id|--all>`: operator tool for the dead-letter queue.
const config = loadConfigOrExit(() => loadRuntimeConfig(), { service: 'dlq' });
const logger = createLogger({ level: 'warn', name: 'dlq' });
const redis = createRedis(redisConnectionConfigFrom(config, 'baton-dlq-cli'), { logger });
const prefix = config.BATON_PREFIX;
const mailbox = createMailbox(redis, { prefix, partitions: config.MAILBOX_PARTITIONS });
const drainQueue = new Queue(queueNames(prefix).drain, { connection: redis, prefix: bullmqPrefix(prefix) });
drainQueue.on('error', (err) => logger.warn({ err }, 'drain queue error'));
const deadLetters = createDeadLetters({
  connection: redis,
  prefix,
  mailbox,
  drainQueue,
  dedupTtlSec: config.REPLAY_DEDUP_TTL_SEC,
  onError: (err) => logger.warn({ err }, 'dlq queue error'),
});

let code = 1;
try {
  code = await runDlqCommand(process.argv.slice(2), {
    deadLetters,
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  });
} catch (err) {
  process.stderr.write(`dlq: ${err instanceof Error ? err.message : String(err)}\n`);
} finally {
  await Promise.allSettled([deadLetters.close(), drainQueue.close()]);
  await redis.quit().catch(() => redis.disconnect());
}
process.exit(code);
