import {
  bullmqPrefix,
  createDeadLetters,
  createMailbox,
  type DeadLetters,
  type Mailbox,
  queueNames,
} from '@baton/shared';
import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';

/** The worker runtime's queues over one Redis: what a worker and the DLQ tool both open. */
export interface RuntimeQueues {
  mailbox: Mailbox;
  drainQueue: Queue;
  scheduledQueue: Queue;
  /** The DLQ, able to replay into the mailbox and the scheduled queue. */
  deadLetters: DeadLetters;
  close(): Promise<void>;
}

export function openRuntimeQueues(
  redis: Redis | Cluster,
  opts: {
    prefix: string;
    partitions: number;
    replayDedupTtlSec: number;
    /** Errors of any of the queues (`what`: drain, scheduled, dlq). */
    onError: (what: string, err: Error) => void;
  },
): RuntimeQueues {
  const { prefix } = opts;
  const names = queueNames(prefix);
  const connection = { connection: redis, prefix: bullmqPrefix(prefix) };
  const mailbox = createMailbox(redis, { prefix, partitions: opts.partitions });
  const drainQueue = new Queue(names.drain, connection);
  drainQueue.on('error', (err) => opts.onError('drain', err));
  const scheduledQueue = new Queue(names.scheduled, connection);
  scheduledQueue.on('error', (err) => opts.onError('scheduled', err));
  const deadLetters = createDeadLetters({
    connection: redis,
    prefix,
    mailbox,
    drainQueue,
    scheduledQueue,
    dedupTtlSec: opts.replayDedupTtlSec,
    onError: (err) => opts.onError('dlq', err as Error),
  });
  return {
    mailbox,
    drainQueue,
    scheduledQueue,
    deadLetters,
    async close() {
      await Promise.allSettled([deadLetters.close(), drainQueue.close(), scheduledQueue.close()]);
    },
  };
}
