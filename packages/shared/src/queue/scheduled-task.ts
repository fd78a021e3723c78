import { z } from 'zod';

/** Data of a job on the `scheduled` queue (what the worker's `Scheduler.schedule` stores; what replay re-adds). */
export const ScheduledTaskSchema = z.object({
  name: z.string().min(1),
  streamId: z.string().min(1),
  data: z.unknown(),
});
export type ScheduledTask = z.infer<typeof ScheduledTaskSchema>;

export const TASK_KEY_PREFIX = 'task-';

/** Idempotency key of a scheduled task run (its replies and its dead letter are keyed on the BullMQ job id). */
export const taskEventKey = (jobId: string) => `${TASK_KEY_PREFIX}${jobId}`;

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
