import { type ConnectionOptions, Queue } from 'bullmq';
import type { DeadLetterInput } from './build-dead-letter.ts';
import { type DeadLetter, DeadLetterSchema } from './dead-letter.ts';
import type { Mailbox } from './mailbox.ts';
import { NotReplayableError } from './not-replayable-error.ts';
import { bullmqPrefix, queueNames } from './queue-names.ts';
import { scheduleDrain } from './schedule-drain.ts';
import { ScheduledTaskSchema, TASK_KEY_PREFIX, taskJobOptions } from './scheduled-task.ts';
import { UnknownDeadLetterError } from './unknown-dead-letter-error.ts';
import { writeDeadLetters } from './write-dead-letters.ts';

/** One dead letter as read back. */
export interface DeadLetterEntry {
  /** The BullMQ job id (`dl-…`; older entries may have other ids). */
  id: string;
  /** The entry, validated (any version); a placeholder when `invalid`. */
  data: DeadLetter;
  /** Set when the stored job data does not match DeadLetterSchema (shown raw, can still be dropped). */
  invalid?: string;
  /** The stored job data as it is, when `invalid`. */
  raw?: unknown;
}

export interface ReplayResult {
  id: string;
  streamId: string;
  /** Dedup key of the re-enqueued event (the original key plus a replay suffix), or of the re-added task. */
  key: string;
}

/**
 * The dead-letter queue: the one writer (`add`, through `writeDeadLetters`) and the operations of `pnpm dlq`
 * and the dashboard. Entries of every schema version are read; unreadable ones are listed as `invalid`.
 */
export interface DeadLetters {
  /** Adds a dead letter (bounded, redacted, validated); the id is derived, so adding it twice is harmless. */
  add(entry: DeadLetterInput): Promise<string>;
  /** Oldest first. */
  list(opts?: { offset?: number; limit?: number }): Promise<DeadLetterEntry[]>;
  count(): Promise<number>;
  show(id: string): Promise<DeadLetterEntry | undefined>;
  /**
   * Puts a `handle`-stage event back at the tail of its stream's mailbox (new seq) and schedules a drain, or
   * re-adds a failed scheduled task due now; removes the entry. Throws UnknownDeadLetterError,
   * NotReplayableError (see `whyNotReplayable`).
   */
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

/**
 * Why `replay` refuses an entry, or undefined when it can be replayed: unreadable, invalid input (stage
 * `ingest`: replaying it would fail the same way), stored as an excerpt, or missing its stream or key.
 */
export function whyNotReplayable(entry: DeadLetterEntry): string | undefined {
  const { data } = entry;
  if (entry.invalid) return 'unreadable entry';
  if (data.stage !== 'handle') return `stage ${data.stage}: invalid input is never replayed`;
  if (data.v === 2 && data.rawTruncated) return 'only an excerpt of the event was kept';
  if (!data.streamId || !data.key) return 'no stream or event key';
  return undefined;
}

/** Opens the dead-letter queue of `prefix`. */
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
      const [id] = await writeDeadLetters(queue, [entry]);
      return id as string;
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
      const why = whyNotReplayable(entry);
      const { data } = entry;
      if (why !== undefined || !data.streamId || !data.key) throw new NotReplayableError(id, why ?? 'no key');
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
      // BullMQ's remove answers 1 for an id it never had: look first.
      if (!(await queue.getJob(id))) return false;
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
