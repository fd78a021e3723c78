import { type Mailbox, withTimeout } from '@baton/shared';
import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { DashboardStatus, IngesterStatus } from './dashboard-status.ts';
import { createHandledRate } from './handled-rate.ts';
import { createLiveWorkersReader } from './read-live-workers.ts';
import { ReadTimeoutError } from './read-timeout-error.ts';
import { createReplyLatencyWindow } from './reply-latency-window.ts';

export interface StatusSources {
  redis: Redis | Cluster;
  prefix: string;
  mailbox: Pick<Mailbox, 'backlog' | 'topStreams'>;
  queues: { drain: Queue; dlq: Queue; scheduled: Queue };
  ingester: { read(): Promise<IngesterStatus> };
}

export interface StatusReaderOptions {
  /** How many streams to list (default 10). */
  topN?: number;
  /**
   * How many waiting streams are ranked by backlog (default 200): the oldest ones, read from the mailbox
   * backlog index, then sorted by pending events. Exact while at most this many streams wait.
   */
  topCandidates?: number;
  /** Per-section read timeout (default 2000 ms): a down Redis yields errors, never a hung page. */
  timeoutMs?: number;
  /** How often the worker heartbeat keys are re-listed with SCAN (default 10 s). */
  workerRescanMs?: number;
  /** Window over which handled/s and the reply latency are computed (default 30 s). */
  handledWindowMs?: number;
  clock?: () => number;
}

/** BullMQ states a dead letter can sit in; `completed` is reported but not counted in `size`. */
const DLQ_OPEN_STATES = [
  'waiting',
  'delayed',
  'prioritized',
  'active',
  'failed',
  'waiting-children',
] as const;
const QUEUE_STATES = [...DLQ_OPEN_STATES, 'completed'] as const;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Assembles the status document. Each section is read independently with a timeout: a section that fails is
 * null and its error is listed in `errors`, the others still show. Only O(1)-ish reads: the mailbox backlog
 * counters and sorted sets, BullMQ job counts, a few ingester keys and the heartbeat keys.
 */
export function createStatusReader(src: StatusSources, opts: StatusReaderOptions = {}) {
  const clock = opts.clock ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 2000;
  const topN = opts.topN ?? 10;
  const topCandidates = Math.max(topN, opts.topCandidates ?? 200);
  const workers = createLiveWorkersReader(src.redis, {
    prefix: src.prefix,
    rescanMs: opts.workerRescanMs ?? 10_000,
    clock,
  });
  const rate = createHandledRate({ windowMs: opts.handledWindowMs ?? 30_000 });
  const latency = createReplyLatencyWindow({ windowMs: opts.handledWindowMs ?? 30_000 });

  return {
    async read(): Promise<DashboardStatus> {
      const errors: Record<string, string> = {};
      const section = async <T>(name: string, work: () => Promise<T>): Promise<T | null> => {
        try {
          return await withTimeout(work(), timeoutMs, () => new ReadTimeoutError(name, timeoutMs));
        } catch (err) {
          errors[name] = message(err);
          return null;
        }
      };
      const counts = async (q: Queue) => {
        const c = await q.getJobCounts(...QUEUE_STATES);
        return Object.fromEntries(QUEUE_STATES.map((s) => [s, c[s] ?? 0]));
      };
      const [backlog, topStreams, dlq, queues, ingester, live] = await Promise.all([
        section('backlog', () => src.mailbox.backlog()),
        section('topStreams', async () =>
          (await src.mailbox.topStreams(topCandidates))
            .sort((a, b) => b.pending - a.pending || b.oldestAgeMs - a.oldestAgeMs)
            .slice(0, topN),
        ),
        section('dlq', async () => {
          const c = await counts(src.queues.dlq);
          return { size: DLQ_OPEN_STATES.reduce((sum, s) => sum + (c[s] ?? 0), 0), counts: c };
        }),
        section('queues', async () => {
          const [drain, scheduled] = await Promise.all([
            counts(src.queues.drain),
            counts(src.queues.scheduled),
          ]);
          return { drain, scheduled };
        }),
        section('ingester', () => src.ingester.read()),
        section('workers', () => workers.read()),
      ]);
      return {
        v: 1,
        prefix: src.prefix,
        generatedAt: clock(),
        backlog,
        topStreams,
        dlq,
        queues,
        handled: live === null ? null : rate.observe(live),
        latency: live === null ? null : latency.observe(live),
        ingester,
        workers: live === null ? null : { live: live.length, list: live },
        errors,
      };
    },
  };
}
