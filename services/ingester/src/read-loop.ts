import {
  AbortedError,
  abortableSleep,
  childLogger,
  FeedGoneError,
  type SymphonyClient,
  serializeError,
} from '@baton/shared';
import type { FeedSource } from './feed-source.ts';
import type { FeedState } from './feed-state.ts';
import { isUnstorableInput } from './is-unstorable-input.ts';
import type { LeaderLease } from './leader-lease.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';
import { type BatchDeps, type BatchResult, processBatch } from './process-batch.ts';
import { backoffDelay, errorClass, retryForever } from './retry-forever.ts';
import { startReadSpan } from './start-read-span.ts';
import { UnstorableBatchError } from './unstorable-batch-error.ts';

export interface ReadLoopOptions {
  dedupTtlSec: number;
  ingestOwnMessages: boolean;
  maxBackoffMs: number;
}

export interface ReadLoopDeps extends BatchDeps {
  client: SymphonyClient;
  source: FeedSource;
  state: FeedState;
  lease: LeaderLease;
  now: () => number;
}

export interface ReadLoop {
  /**
   * Runs until `stopSignal` aborts: waits for leadership, then reads. `hardSignal` aborts the batch in hand
   * (shutdown deadline); until then a batch read before the stop is still enqueued and its ackId stored.
   */
  run(stopSignal: AbortSignal, hardSignal: AbortSignal): Promise<void>;
  lastReadAt(): number | null;
  /** When the current leader session opened its feed (null when not reading). */
  sessionStartedAt(): number | null;
  /** Abort the current leader session (the lease was lost). */
  leadershipLost(): void;
}

const isAbort = (err: unknown): boolean =>
  err instanceof AbortedError || (err as Error)?.name === 'AbortError';

export function createReadLoop(options: ReadLoopOptions, deps: ReadLoopDeps): ReadLoop {
  const { lease, source, state, metrics, now } = deps;
  const log = childLogger(deps.logger, { component: 'read-loop' });
  let lastReadAt: number | null = null;
  let sessionStartedAt: number | null = null;
  let session: AbortController | undefined;
  let botUserId: number | undefined;

  async function leaderSession(stop: AbortSignal, hard: AbortSignal): Promise<void> {
    const token = lease.token();
    const holder = lease.holder();
    if (token === undefined || holder === undefined) return;
    session = new AbortController();
    const readSignal = AbortSignal.any([stop, session.signal]);
    const batchSignal = AbortSignal.any([hard, session.signal]);
    const slog = log.child({ leaderToken: token });
    const retry = <T>(
      label: string,
      fn: () => Promise<T>,
      signal: AbortSignal,
      unstorable?: (err: unknown) => boolean,
    ): Promise<T> =>
      retryForever(fn, {
        label,
        signal,
        logger: slog,
        metrics,
        maxDelayMs: options.maxBackoffMs,
        ...(unstorable ? { unstorable } : {}),
      });

    await retry('open-feed', () => source.open(holder, readSignal), readSignal);
    if (botUserId === undefined && !options.ingestOwnMessages) {
      botUserId = (
        await retry('session-info', () => deps.client.getSessionInfo({ signal: readSignal }), readSignal)
      ).id;
    }
    const leaderSince = lease.since() ?? now();
    await retry(
      'store-leader-since',
      async () => {
        if (!(await state.saveLeaderSince(holder, leaderSince))) {
          throw new LeadershipLostError('leaderSince not stored: no longer the leader');
        }
      },
      readSignal,
    );
    // A batch the previous session read and never stored (it died or was deposed in between): Symphony
    // redelivers it after its redelivery delay, possibly after newer events (docs/ingester.md, "Order across a
    // leader failover"). Kept for the dashboard as `awaitingRedelivery`.
    const inHand = await retry('take-in-hand', () => state.takeInHand(holder), readSignal);
    if (!inHand.leader) throw new LeadershipLostError('batch in hand not read: no longer the leader');
    if (inHand.left) {
      slog.warn(
        { events: inHand.left.events, readAt: inHand.left.at, readBy: inHand.left.by },
        'waiting for a redelivery: the previous leader read a batch and did not store it',
      );
    }
    // Ready from here: the feed exists, so events sent from now on are kept for us.
    sessionStartedAt = now();
    slog.info({ ...source.describe(), ackId: undefined }, 'reading');
    let attempt = 0;
    while (!readSignal.aborted && lease.isLeader()) {
      const t0 = now();
      let read: Awaited<ReturnType<FeedSource['read']>>;
      try {
        read = await source.read(readSignal);
        attempt = 0;
      } catch (err) {
        if (readSignal.aborted || isAbort(err)) return;
        metrics.reads.inc({ outcome: 'error' });
        metrics.errors.inc({ class: errorClass(err) });
        if (err instanceof FeedGoneError) {
          const before = source.describe();
          const entry = await retry(
            'recreate-feed',
            () => source.recreate(holder, err.message, readSignal),
            readSignal,
          );
          metrics.feedRecreated.inc();
          slog.error(
            { oldFeedId: before.feedId, newFeedId: entry.newFeedId, lastStoredAckId: entry.lastStoredAckId },
            `datafeed gone, recreated: ${entry.note}`,
          );
          continue;
        }
        attempt += 1;
        const delayMs = backoffDelay(err, attempt, options.maxBackoffMs);
        slog.warn({ attempt, delayMs, err: serializeError(err) }, 'read failed');
        await abortableSleep(delayMs, readSignal).catch(() => {});
        continue;
      }
      const receivedAt = now();
      lastReadAt = receivedAt;
      metrics.readSeconds.observe((receivedAt - t0) / 1000);
      metrics.reads.inc({ outcome: read.events.length > 0 ? 'events' : 'empty' });
      if (read.events.length > 0) metrics.batchSize.observe(read.events.length);

      const ackChanged = read.ackId !== undefined && read.ackId !== source.describe().ackId;
      if (read.events.length === 0 && !ackChanged) {
        // Nothing to enqueue: only record the read for the dashboard (one round trip per long poll).
        await retry(
          'store-read',
          async () => {
            if (!(await state.saveRead(holder, { at: receivedAt, events: 0 }))) {
              throw new LeadershipLostError('read not recorded: no longer the leader');
            }
          },
          batchSignal,
        );
        continue;
      }
      // From here the batch is in hand: finish it even if a stop arrives (until the hard deadline).
      const tEnqueue = now();
      // Tracing on: one span per read, parent of each event's (their contexts go to Redis with the events).
      const readSpan = startReadSpan(t0, read.events.length, source.describe().version);
      if (read.ackId !== undefined && read.events.length > 0) {
        // Recorded before the first write of the batch, cleared with its ackId: a death in between is known.
        await retry(
          'record-in-hand',
          async () => {
            if (!(await state.recordInHand(holder, { at: receivedAt, events: read.events.length }))) {
              throw new LeadershipLostError('batch in hand not recorded: no longer the leader');
            }
          },
          batchSignal,
        );
      }
      const storeBatch = (digestDeadLetters?: string) => async (): Promise<BatchResult> => {
        const r = await processBatch(
          read.events,
          {
            dedupTtlSec: options.dedupTtlSec,
            ingestOwnMessages: options.ingestOwnMessages,
            botUserId,
            leaderToken: token,
            receivedAt,
            ...(digestDeadLetters !== undefined ? { digestDeadLetters } : {}),
            ...(readSpan ? { traceContext: readSpan.context } : {}),
          },
          deps,
        );
        if (r.fenced) throw new LeadershipLostError('enqueue fenced: a newer leader exists');
        // The ackId, lastReadAt and the feed's highWater in one round trip, fenced by the lease.
        const stored = await state.saveRead(holder, {
          at: receivedAt,
          events: read.events.length,
          ackId: read.ackId,
        });
        if (!stored) throw new LeadershipLostError('ackId not stored: no longer the leader');
        return r;
      };
      // Redis unavailable: retried until it is back. The input unstorable (a poison event that processBatch's
      // own isolation did not absorb): the batch is stored again with its dead letters reduced to a digest of
      // each raw event (sha256 and length), and reading goes on.
      const result = await retry('enqueue', storeBatch(), batchSignal, isUnstorableInput).catch(
        async (err: unknown) => {
          if (!(err instanceof UnstorableBatchError)) throw err;
          slog.error(
            { err: serializeError(err), events: read.events.length },
            'batch cannot be stored as is: storing its dead letters as digests',
          );
          metrics.outcomes.inc({ outcome: 'batch_digested' });
          return retry('enqueue-digested', storeBatch(err.message), batchSignal);
        },
      );
      source.committed(read.ackId);
      readSpan?.span.end();
      metrics.enqueueSeconds.observe((now() - tEnqueue) / 1000);
      if (read.events.length > 0) {
        slog.debug({ ...result, events: read.events.length }, 'batch stored');
      }
    }
  }

  return {
    async run(stop, hard) {
      while (!stop.aborted) {
        if (!lease.isLeader()) {
          await abortableSleep(100, stop).catch(() => {});
          continue;
        }
        metrics.leader.set(1);
        try {
          await leaderSession(stop, hard);
        } catch (err) {
          if (err instanceof LeadershipLostError) {
            log.warn({ reason: err.message }, 'stepping down');
            lease.lost();
          } else if (!isAbort(err)) {
            // Never leave the loop silently: log and start the session again.
            metrics.errors.inc({ class: errorClass(err) });
            log.error({ err }, 'leader session failed; restarting it');
            await abortableSleep(1_000, stop).catch(() => {});
          }
        } finally {
          session = undefined;
          sessionStartedAt = null;
          if (!lease.isLeader()) metrics.leader.set(0);
        }
      }
    },
    lastReadAt: () => lastReadAt,
    sessionStartedAt: () => sessionStartedAt,
    leadershipLost() {
      session?.abort();
    },
  };
}
