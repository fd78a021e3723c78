import type { JobsOptions, Queue } from 'bullmq';
import type { DrainJob } from './drain-job.ts';

/** Job options of a drain: at most one waiting and one active drain per stream (mailbox-spike.md §2). */
export function drainJobOptions(streamId: string): JobsOptions {
  return {
    deduplication: { id: streamId, keepLastIfActive: true },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

/** Schedules a drain of `streamId` (deduplicated: a no-op when one is already waiting). */
export async function scheduleDrain(drainQueue: Queue, streamId: string): Promise<void> {
  const data: DrainJob = { v: 1, streamId };
  await drainQueue.add('drain', data, drainJobOptions(streamId));
}

/**
 * Schedules a drain of each of `streamIds` (as `scheduleDrain`, each deduplicated on its stream) in one round
 * trip: the ingester's fresh streams of a batch.
 */
export async function scheduleDrains(drainQueue: Queue, streamIds: readonly string[]): Promise<void> {
  if (streamIds.length === 0) return;
  const [only] = streamIds;
  if (streamIds.length === 1 && only !== undefined) return scheduleDrain(drainQueue, only);
  await drainQueue.addBulk(
    streamIds.map((streamId) => ({
      name: 'drain',
      data: { v: 1, streamId } satisfies DrainJob,
      opts: drainJobOptions(streamId),
    })),
  );
}

/**
 * Whether a drain job for `streamId` exists (waiting, delayed, active or parked): its dedup key points to a job
 * that still exists. A missing key or one pointing at a removed job means nobody will drain the stream.
 */
export async function hasLiveDrain(drainQueue: Queue, streamId: string): Promise<boolean> {
  const jobId = await drainQueue.getDeduplicationJobId(streamId);
  if (!jobId) return false;
  const state = await drainQueue.getJobState(jobId);
  return state !== 'unknown' && state !== 'completed' && state !== 'failed';
}
