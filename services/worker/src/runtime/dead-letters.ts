import { createHash } from 'node:crypto';
import {
  bullmqPrefix,
  type DeadLetter,
  DeadLetterSchema,
  type Mailbox,
  queueNames,
  scheduleDrain,
} from '@baton/shared';
import { type ConnectionOptions, Queue } from 'bullmq';
import { taskJobOptions } from './bullmq-scheduler.ts';
import { NotReplayableError, UnknownDeadLetterError } from './runtime-errors.ts';
import { ScheduledTaskSchema, TASK_KEY_PREFIX } from './scheduled-task.ts';

export interface DeadLetterEntry {
  id: string;
  data: DeadLetter;
  /** Set when the stored job data does not match DeadLetterSchema (shown raw, can still be dropped). */
  invalid?: string;
  raw?: unknown;
}

export interface ReplayResult {
  id: string;
  streamId: string;
  /** Dedup key of the re-enqueued event (the original key plus a replay suffix). */
  key: string;
}

export interface DeadLetters {
  /** Adds a dead letter. The id is derived from the event key, so adding the same event twice is harmless. */
  add(entry: Omit<DeadLetter, 'v' | 'failedAt'> & { failedAt?: number }): Promise<string>;
  list(opts?: { offset?: number; limit?: number }): Promise<DeadLetterEntry[]>;
  count(): Promise<number>;
  show(id: string): Promise<DeadLetterEntry | undefined>;
  /** Puts a `handle`-stage event back at the tail of its stream's mailbox (new seq) and schedules a drain. */
  replay(id: string): Promise<ReplayResult>;
  drop(id: string): Promise<boolean>;
  dropAll(): Promise<number>;
  /** The underlying BullMQ queue (for error listeners, dashboards). */
  readonly queue: Queue;
  close(): Promise<void>;
}

export interface DeadLettersDeps {
  connection: ConnectionOptions;
  prefix: string;
  /** Needed for replay only. */
  mailbox?: Mailbox;
  drainQueue?: Queue;
  /** Needed to replay dead scheduled tasks (key `task-<jobId>`): they are re-added there, due now. */
  scheduledQueue?: Queue;
  dedupTtlSec?: number;
  onError?: (err: unknown) => void;
}

const STATES = ['waiting', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** BullMQ job ids must not contain ':' nor be all digits. */
export function deadLetterId(seed: string): string {
  return `dl-${createHash('sha1').update(seed).digest('hex').slice(0, 24)}`;
}

export function createDeadLetters(deps: DeadLettersDeps): DeadLetters {
  const queue = new Queue(queueNames(deps.prefix).dlq, {
    connection: deps.connection,
    prefix: bullmqPrefix(deps.prefix),
  });
  queue.on('error', (err) => deps.onError?.(err));

  const toEntry = (id: string, data: unknown): DeadLetterEntry => {
    const parsed = DeadLetterSchema.safeParse(data);
    if (parsed.success) return { id, data: parsed.data };
    return {
      id,
      data: { v: 1, stage: 'ingest', reason: 'unreadable dead letter', raw: data, failedAt: 0 },
      invalid: parsed.error.message,
      raw: data,
    };
  };

  const replayTask = async (id: string, data: DeadLetter): Promise<ReplayResult> => {
    const task = ScheduledTaskSchema.safeParse(data.raw);
    if (!task.success) throw new NotReplayableError(id, 'not a scheduled task');
    if (!deps.scheduledQueue) throw new NotReplayableError(id, 'no scheduled queue configured');
    const job = await deps.scheduledQueue.add(task.data.name, task.data, taskJobOptions(0, 1, 1));
    await queue.remove(id);
    return { id, streamId: task.data.streamId, key: `${TASK_KEY_PREFIX}${job.id ?? ''}` };
  };

  const show = async (id: string): Promise<DeadLetterEntry | undefined> => {
    const job = await queue.getJob(id);
    if (!job?.id) return undefined;
    return toEntry(job.id, job.data);
  };

  return {
    queue,
    async add(entry) {
      const data = DeadLetterSchema.parse({ ...entry, v: 1, failedAt: entry.failedAt ?? Date.now() });
      const seed = data.key ?? `${data.streamId ?? ''}|${JSON.stringify(data.raw) ?? ''}|${data.reason}`;
      const id = deadLetterId(seed);
      await queue.add('dead', data, { jobId: id, removeOnComplete: false, removeOnFail: false });
      return id;
    },
    async list(opts = {}) {
      const offset = opts.offset ?? 0;
      const limit = opts.limit ?? 50;
      const jobs = await queue.getJobs([...STATES], offset, offset + limit - 1, true);
      return jobs.filter((j) => j?.id).map((j) => toEntry(j.id as string, j.data));
    },
    async count() {
      return queue.getJobCountByTypes(...STATES);
    },
    show,
    async replay(id) {
      const entry = await show(id);
      if (!entry) throw new UnknownDeadLetterError(id);
      const { data } = entry;
      if (entry.invalid || data.stage !== 'handle' || !data.streamId || !data.key) {
        throw new NotReplayableError(id, entry.invalid ? 'unreadable entry' : `stage ${data.stage}`);
      }
      if (data.key.startsWith(TASK_KEY_PREFIX)) return replayTask(id, data);
      if (!deps.mailbox || !deps.drainQueue) throw new NotReplayableError(id, 'no mailbox configured');
      const key = `${data.key}#replay-${id}`;
      await deps.mailbox.enqueue([{ key, streamId: data.streamId, event: data.raw }], {
        dedupTtlSec: deps.dedupTtlSec ?? 86_400,
      });
      await scheduleDrain(deps.drainQueue, data.streamId);
      await queue.remove(id);
      return { id, streamId: data.streamId, key };
    },
    async drop(id) {
      return (await queue.remove(id)) === 1;
    },
    async dropAll() {
      const n = await queue.getJobCountByTypes(...STATES);
      await queue.obliterate({ force: true });
      return n;
    },
    async close() {
      await queue.close();
    },
  };
}
