import type { ReplySender, RuntimeBot, RuntimeServices } from '@baton/bot';
import { type Logger, ScheduledTaskSchema, taskEventKey, withTimeout } from '@baton/shared';
import type { Job } from 'bullmq';
import { createAttemptScope } from './attempt-scope.ts';
import type { IdempotentReplies } from './idempotent-replies.ts';
import type { ProcessedMarks } from './processed-marks.ts';
import { HandlerTimeoutError } from './runtime-errors.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** The BullMQ processor of the `scheduled` queue: runs `bot.handleTask`, retried by BullMQ with backoff. */
export function createTaskProcessor(deps: {
  bot: RuntimeBot;
  marks: ProcessedMarks;
  replies: IdempotentReplies;
  servicesFor: (logger: Logger, replies: ReplySender) => RuntimeServices;
  metrics: WorkerMetrics;
  logger: Logger;
  /** A run still going after this counts as failed (BullMQ retries it); its later calls are refused. */
  timeoutMs: number;
}): (job: Job) => Promise<void> {
  return async (job) => {
    const id = job.id ?? '';
    const task = ScheduledTaskSchema.parse(job.data);
    const key = taskEventKey(id);
    const log = deps.logger.child({ streamId: task.streamId, eventId: key, task: task.name });
    if (await deps.marks.has(key)) {
      deps.metrics.tasks.inc({ outcome: 'duplicate' });
      return;
    }
    const scope = createAttemptScope(deps.servicesFor(log, deps.replies.forEvent(key)), log);
    try {
      await withTimeout(
        Promise.resolve().then(() =>
          deps.bot.handleTask(
            { name: task.name, streamId: task.streamId, data: task.data, id },
            scope.services,
          ),
        ),
        deps.timeoutMs,
        () => new HandlerTimeoutError(deps.timeoutMs),
      );
      scope.close('run finished');
    } catch (err) {
      scope.close(err instanceof HandlerTimeoutError ? 'timed out' : 'run failed');
      deps.metrics.tasks.inc({ outcome: 'failed' });
      log.warn({ attempt: job.attemptsMade + 1, err }, 'scheduled task failed');
      throw err;
    }
    await deps.marks.mark(key, 'handled');
    deps.metrics.tasks.inc({ outcome: 'handled' });
  };
}
