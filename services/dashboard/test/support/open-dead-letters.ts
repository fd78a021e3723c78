import { createDeadLetters, createMailbox, type DeadLetters, type Mailbox } from '@baton/shared';
import { openTestQueue } from '@baton/shared/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The dead-letter queue of a prefix with what its replays need (see `openDeadLetters`). */
export interface TestDeadLetters {
  /** The prefix's mailbox, where a replay puts the event back. */
  mailbox: Mailbox;
  /** The prefix's drain queue, where a replay schedules the stream's drain. */
  drainQueue: Queue;
  deadLetters: DeadLetters;
  /** Closes the dead-letter and drain queues (the caller closes `redis`). */
  close(): Promise<void>;
}

/** Opens the dead-letter queue of `prefix` as the dashboard does: able to replay into the mailbox. */
export function openDeadLetters(redis: Redis, prefix: string): TestDeadLetters {
  const mailbox = createMailbox(redis, { prefix });
  const drainQueue = openTestQueue(redis, prefix, 'drain');
  const deadLetters = createDeadLetters({ connection: redis, prefix, mailbox, drainQueue });
  return {
    mailbox,
    drainQueue,
    deadLetters,
    async close() {
      await deadLetters.close();
      await drainQueue.close();
    },
  };
}
