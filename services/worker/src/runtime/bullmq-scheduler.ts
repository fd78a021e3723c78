import type { Queue } from 'bullmq';
import type { Scheduler } from '../framework/runtime-services.ts';

/** Job options of a scheduled task: retried with backoff, kept a while when it fails for good. */
export function taskJobOptions(delayMs: number, attempts: number, backoffMs: number) {
  return {
    delay: Math.max(0, Math.round(delayMs)),
    attempts,
    backoff: { type: 'exponential' as const, delay: backoffMs },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

/** The runtime's Scheduler: a BullMQ delayed job on the `scheduled` queue, so tasks survive restarts. */
export function createBullmqScheduler(
  queue: Queue,
  opts: { attempts: number; backoffMs: number },
): Scheduler {
  return {
    async schedule(delayMs, task) {
      const job = await queue.add(
        task.name,
        { name: task.name, streamId: task.streamId, data: task.data },
        taskJobOptions(delayMs, opts.attempts, opts.backoffMs),
      );
      if (!job.id) throw new Error('BullMQ returned a job without id');
      return job.id;
    },
  };
}
