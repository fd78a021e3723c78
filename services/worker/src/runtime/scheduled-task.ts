import { z } from 'zod';

/** Data of a job on the `scheduled` queue (what `Scheduler.schedule` stores). */
export const ScheduledTaskSchema = z.object({
  name: z.string().min(1),
  streamId: z.string().min(1),
  data: z.unknown(),
});

export const TASK_KEY_PREFIX = 'task-';

/** Idempotency key of a scheduled task run (its replies and its dead letter are keyed on the BullMQ job id). */
export const taskEventKey = (jobId: string) => `${TASK_KEY_PREFIX}${jobId}`;
