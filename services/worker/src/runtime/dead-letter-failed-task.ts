import { type DeadLetters, ScheduledTaskSchema, taskEventKey } from '@baton/shared';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from './worker-metrics.ts';

/**
 * The task-failure policy: a scheduled task that failed for good (BullMQ used all its attempts) is copied to the
 * DLQ as a `handle`-stage letter keyed `task-<jobId>`, from where `replay` re-adds it due now. A failure with a
 * retry still pending writes nothing. Resolves whether it wrote a dead letter.
 */
export async function deadLetterFailedTask(
  job: Job,
  err: unknown,
  deps: { deadLetters: DeadLetters; metrics: WorkerMetrics },
): Promise<boolean> {
  if (!job.id) return false;
  if ((await job.getState()) !== 'failed') return false; // a retry is pending
  const task = ScheduledTaskSchema.safeParse(job.data);
  await deps.deadLetters.add({
    stage: 'handle',
    reason: `scheduled task ${JSON.stringify(task.success ? task.data.name : job.name)} failed after ${job.attemptsMade} attempts`,
    ...(task.success ? { streamId: task.data.streamId } : {}),
    key: taskEventKey(job.id),
    raw: job.data,
    error: err,
    attempts: job.attemptsMade,
  });
  deps.metrics.dlqAdds.inc({ stage: 'handle', reason: 'task_failed' });
  return true;
}
