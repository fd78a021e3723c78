import type { Logger } from '@baton/shared';
import type { Job } from 'bullmq';
import type { ReplySender, RuntimeServices } from '../framework/runtime-services.ts';
import type { IdempotentReplies } from './idempotent-replies.ts';
import type { ProcessedMarks } from './processed-marks.ts';
import type { RuntimeBot } from './runtime-bot.ts';
import { ScheduledTaskSchema, taskEventKey } from './scheduled-task.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** The BullMQ processor of the `scheduled` queue: runs `bot.handleTask`, retried by BullMQ with backoff. */
export function createTaskProcessor(deps: {
  bot: RuntimeBot;
  marks: ProcessedMarks;
  replies: IdempotentReplies;
  servicesFor: (logger: Logger, replies: ReplySender) => RuntimeServices;
  metrics: WorkerMetrics;
  logger: Logger;
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
    try {
      await deps.bot.handleTask(
        { name: task.name, streamId: task.streamId, data: task.data, id },
        deps.servicesFor(log, deps.replies.forEvent(key)),
      );
    } catch (err) {
      deps.metrics.tasks.inc({ outcome: 'failed' });
      log.warn({ attempt: job.attemptsMade + 1, err }, 'scheduled task failed');
      throw err;
    }
    await deps.marks.mark(key, 'handled');
    deps.metrics.tasks.inc({ outcome: 'handled' });
  };
}
