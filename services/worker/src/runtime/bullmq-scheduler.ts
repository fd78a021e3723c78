import { createHash } from 'node:crypto';
import type { Scheduler } from '@baton/bot';
import { taskJobOptions } from '@baton/shared';
import type { Queue } from 'bullmq';

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
