import {
  createMailbox,
  type EnqueueItem,
  type EnqueueResult,
  type Mailbox,
  scheduleDrain,
} from '@baton/shared';
import { openTestQueue } from '@baton/shared/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadRuntimeConfig } from '../../src/config.ts';
import { type BatonWorker, createWorker, type WorkerDeps } from '../../src/create-worker.ts';

/** In-process workers on one Redis and Baton prefix, and what a test drives them through. */
export interface WorkerRig {
  readonly prefix: string;
  /** The prefix's mailbox, as the ingester writes it (on the test's connection). */
  readonly mailbox: Mailbox;
  readonly drainQueue: Queue;
  readonly scheduledQueue: Queue;
  /**
   * A worker, not started: `loadRuntimeConfig` of the rig's Redis and prefix with the ops server off
   * (`OPS_PORT=-1`), then `env` (which may name another `BATON_PREFIX`). Stopped when the rig closes.
   */
  worker(env: Record<string, string>, deps: WorkerDeps): BatonWorker;
  /** `worker(env, deps)`, started. */
  start(env: Record<string, string>, deps: WorkerDeps): Promise<BatonWorker>;
  /** Enqueues like the ingester: one batch, then a drain for each stream whose mailbox was empty. */
  push(items: EnqueueItem[]): Promise<EnqueueResult>;
  /** Stops every worker it made (a stopped one is left as it is), then closes the queues. */
  close(): Promise<void>;
}

export function createWorkerRig(redis: Redis, redisUrl: string, prefix: string): WorkerRig {
  const mailbox = createMailbox(redis, { prefix });
  const drainQueue = openTestQueue(redis, prefix, 'drain');
  const scheduledQueue = openTestQueue(redis, prefix, 'scheduled');
  const workers: BatonWorker[] = [];
  const worker = (env: Record<string, string>, deps: WorkerDeps) => {
    const config = loadRuntimeConfig({ REDIS_URL: redisUrl, BATON_PREFIX: prefix, OPS_PORT: '-1', ...env });
    const made = createWorker(config, deps);
    workers.push(made);
    return made;
  };
  return {
    prefix,
    mailbox,
    drainQueue,
    scheduledQueue,
    worker,
    async start(env, deps) {
      const started = worker(env, deps);
      await started.start();
      return started;
    },
    async push(items) {
      const res = await mailbox.enqueue(items, { dedupTtlSec: 600 });
      for (const s of res.freshStreams) await scheduleDrain(drainQueue, s);
      return res;
    },
    async close() {
      for (const w of workers) await w.stop();
      await drainQueue.close();
      await scheduledQueue.close();
    },
  };
}
