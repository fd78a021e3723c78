import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullmqPrefix, queueNames } from '../queue/queue-names.ts';

/**
 * The BullMQ queue `which` (drain, dlq or scheduled) of the Baton prefix `prefix`, on `redis`: what a test opens
 * to drive or watch the services. Its errors are swallowed, as the `redis` fixture's are (a test may stop Redis).
 * The caller closes it.
 */
export function openTestQueue(
  redis: Redis,
  prefix: string,
  which: keyof ReturnType<typeof queueNames>,
): Queue {
  const queue = new Queue(queueNames(prefix)[which], { connection: redis, prefix: bullmqPrefix(prefix) });
  queue.on('error', () => {});
  return queue;
}
