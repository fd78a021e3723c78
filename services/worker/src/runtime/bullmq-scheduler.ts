import { createHash } from 'node:crypto';
import type { Scheduler } from '@baton/bot';
import type { Queue } from 'bullmq';

/**
 * How long a completed task's job (and so its id) is kept: scheduling the same idempotency id again within this
 * window schedules nothing (a retried `/remind` handler sets one reminder, even after the first already fired).
 */
export const TASK_ID_RETENTION_SEC = 86_400;

/** Job options of a scheduled task: retried with backoff, kept a while when it fails for good. */
export function taskJobOptions(delayMs: number, attempts: number, backoffMs: number, jobId?: string) {
  return {
    delay: Math.max(0, Math.round(delayMs)),
    attempts,
    backoff: { type: 'exponential' as const, delay: backoffMs },
    // With an idempotency id the completed job stays, so that id keeps deduplicating.
    removeOnComplete: jobId === undefined ? true : { age: TASK_ID_RETENTION_SEC },
    removeOnFail: 1000,
    ...(jobId === undefined ? {} : { jobId }),
  };
}

/**
 * The BullMQ job id of an idempotency id. BullMQ refuses custom ids containing `:` and mistakes integer-looking
 * ones for its own counters, so anything but a plain token (the framework's ids are `s` + hex) is hashed.
 */
export function taskJobId(id: string): string {
  if (/^[A-Za-z_-][A-Za-z0-9_-]{0,127}$/.test(id)) return id;
  return `h${createHash('sha1').update(id).digest('hex')}`;
}

/**
 * The runtime's Scheduler: a BullMQ delayed job on the `scheduled` queue, so tasks survive restarts. A task with
 * an `id` uses it as the job id: scheduling it again (a retried handler) returns the existing job.
 */
export function createBullmqScheduler(
  queue: Queue,
  opts: { attempts: number; backoffMs: number },
): Scheduler {
  return {
    async schedule(delayMs, task) {
      const jobId = task.id === undefined ? undefined : taskJobId(task.id);
      const job = await queue.add(
        task.name,
        { name: task.name, streamId: task.streamId, data: task.data },
        taskJobOptions(delayMs, opts.attempts, opts.backoffMs, jobId),
      );
      if (!job.id) throw new Error('BullMQ returned a job without id');
      return job.id;
    },
  };
}
