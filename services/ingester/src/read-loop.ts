import {
  AbortedError,
  abortableSleep,
  childLogger,
  FeedGoneError,
  FeedLimitError,
  raceSignal,
  type SymphonyClient,
  serializeError,
} from '@baton/shared';
import type { FeedSource } from './feed-source.ts';
import type { FeedState } from './feed-state.ts';
import { createHeldBatches, type HeldBatch } from './held-batches.ts';
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
  /**
   * v1 only: batches that may be read while the batch before them is stored (INGESTER_V1_READ_AHEAD; 0 = read
   * only after each store). v2 and the datahose always read after the store: the read carries its ackId.
   */
  v1ReadAhead: number;
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

/** v1 read-ahead: events validated between two turns of the event loop (the reader's answers are taken between). */
const YIELD_EVERY_EVENTS = 10;

/** One turn of the event loop: microtasks and process.nextTick callbacks already queued (a read being sent) run first. */
const yieldToReader = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const isAbort = (err: unknown): boolean =>
  err instanceof AbortedError || (err as Error)?.name === 'AbortError';

export function createReadLoop(options: ReadLoopOptions, deps: ReadLoopDeps): ReadLoop {
  const { lease, source, state, metrics, now } = deps;
  const log = childLogger(deps.logger, { component: 'read-loop' });
  let lastReadAt: number | null = null;
  let sessionStartedAt: number | null = null;
  let session: AbortController | undefined;
  let botUserId: number | undefined;
  // Read and not stored yet. Outlives a session on v1 only: those events are gone from the agent, so a replica
  // that loses its lease keeps them and stores them first when it leads again (docs/ingester.md, "v1 read-ahead").
  const held = createHeldBatches((size) => metrics.heldBatches.set(size));

  /** v2 and datahose: a batch not stored is not acknowledged; the agent redelivers it (to whoever leads). */
  function dropUnackedBatches(): void {
    if (source.describe().version === 'v1' || held.size() === 0) return;
    const dropped = held.clear();
    log.info(
      { batches: dropped.length, events: dropped.reduce((n, b) => n + b.events.length, 0) },
      'batch read and not stored dropped: not acknowledged, the agent delivers it again',
    );
  }

  async function leaderSession(stop: AbortSignal, hard: AbortSignal): Promise<void> {
    const token = lease.token();
    const holder = lease.holder();
    if (token === undefined || holder === undefined) return;
    const lost = new AbortController();
    session = lost;
    const readSignal = AbortSignal.any([stop, lost.signal]);
    const batchSignal = AbortSignal.any([hard, lost.signal]);
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
    /** FeedLimitError on a read: delete the account's other feeds (docs/ingester.md); true when some went. */
    const deleteOtherFeeds = async (signal: AbortSignal): Promise<boolean> => {
      const deleted = await retry('delete-other-feeds', () => source.deleteOtherFeeds(signal), signal);
      metrics.staleFeedsDeleted.inc(deleted.length);
      slog.error(
        { feedId: source.describe().feedId, deleted },
        `too many datafeeds on the bot account: the agent refused to read ours; deleted ${deleted.length} other feeds`,
      );
      return deleted.length > 0;
    };

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
    if (held.size() > 0) {
      // v1 only (v2 and datahose batches are dropped with their session: the agent redelivers them).
      slog.warn(
        { batches: held.size(), events: held.events() },
        'v1: storing first the batches read and not stored in the previous leader session',
      );
    }

    // The reader and the storer run side by side: the storer stores held batches strictly in order (batch N
    // enqueued and its drains scheduled before batch N+1 is touched); the reader reads again as soon as at most
    // `readAhead` batches wait behind the one being stored. v2 and datahose carry the stored batch's ackId on
    // their next read, so they read only once the held batch is stored (readAhead 0); v1 has no ack.
    const readAhead = source.describe().version === 'v1' ? options.v1ReadAhead : 0;
    const failed = new AbortController();
    const readerSignal = AbortSignal.any([readSignal, failed.signal]);
    const storerSignal = AbortSignal.any([batchSignal, failed.signal]);
    let readerDone = false;
    const readerEnded = new AbortController();
    let firstError: unknown;
    const fail = (err: unknown): void => {
      if (firstError === undefined) firstError = err;
      failed.abort();
    };

    const reader = async (): Promise<void> => {
      let attempt = 0;
      while (!readerSignal.aborted && lease.isLeader()) {
        await held.waitForRoom(readAhead, readerSignal);
        if (readerSignal.aborted || !lease.isLeader()) return;
        const sentAt = now();
        let read: Awaited<ReturnType<FeedSource['read']>>;
        try {
          read = await source.read(readerSignal);
          attempt = 0;
        } catch (err) {
          if (readerSignal.aborted || isAbort(err)) return;
          metrics.reads.inc({ outcome: 'error' });
          metrics.errors.inc({ class: errorClass(err) });
          if (err instanceof FeedGoneError) {
            const before = source.describe();
            const entry = await retry(
              'recreate-feed',
              () => source.recreate(holder, err.message, readerSignal),
              readerSignal,
            );
            metrics.feedRecreated.inc();
            slog.error(
              {
                oldFeedId: before.feedId,
                newFeedId: entry.newFeedId,
                lastStoredAckId: entry.lastStoredAckId,
              },
              `datafeed gone, recreated: ${entry.note}`,
            );
            continue;
          }
          if (err instanceof FeedLimitError && (await deleteOtherFeeds(readerSignal)) && attempt === 0) {
            attempt += 1;
            continue; // read again at once; refused again, it backs off below
          }
          attempt += 1;
          const delayMs = backoffDelay(err, attempt, options.maxBackoffMs);
          slog.warn({ attempt, delayMs, err: serializeError(err) }, 'read failed');
          await abortableSleep(delayMs, readerSignal).catch(() => {});
          continue;
        }
        const receivedAt = now();
        lastReadAt = receivedAt;
        metrics.readSeconds.observe((receivedAt - sentAt) / 1000);
        metrics.reads.inc({ outcome: read.events.length > 0 ? 'events' : 'empty' });
        if (read.events.length > 0) metrics.batchSize.observe(read.events.length);
        // From here the batch is in hand: the storer finishes it even if a stop arrives (until the hard deadline).
        held.push({ events: read.events, ackId: read.ackId, sentAt, receivedAt });
      }
    };

    const storeOne = async (batch: HeldBatch): Promise<void> => {
      const { events, ackId, receivedAt } = batch;
      const ackChanged = ackId !== undefined && ackId !== source.describe().ackId;
      if (events.length === 0 && !ackChanged) {
        // Nothing to enqueue: only record the read for the dashboard (one round trip per long poll).
        await retry(
          'store-read',
          async () => {
            if (!(await state.saveRead(holder, { at: receivedAt, events: 0 }))) {
              throw new LeadershipLostError('read not recorded: no longer the leader');
            }
          },
          storerSignal,
        );
        return;
      }
      const tEnqueue = now();
      // Tracing on: one span per read, parent of each event's (their contexts go to Redis with the events).
      const readSpan = startReadSpan(batch.sentAt, events.length, source.describe().version);
      if (ackId !== undefined && events.length > 0) {
        // Recorded before the first write of the batch, cleared with its ackId: a death in between is known.
        await retry(
          'record-in-hand',
          async () => {
            if (!(await state.recordInHand(holder, { at: receivedAt, events: events.length }))) {
              throw new LeadershipLostError('batch in hand not recorded: no longer the leader');
            }
          },
          storerSignal,
        );
      }
      const storeBatch = (digestDeadLetters?: string) => async (): Promise<BatchResult> => {
        const r = await processBatch(
          events,
          {
            dedupTtlSec: options.dedupTtlSec,
            ingestOwnMessages: options.ingestOwnMessages,
            botUserId,
            leaderToken: token,
            receivedAt,
            ...(readAhead > 0 ? { yieldEvery: YIELD_EVERY_EVENTS } : {}),
            ...(digestDeadLetters !== undefined ? { digestDeadLetters } : {}),
            ...(readSpan ? { traceContext: readSpan.context } : {}),
          },
          deps,
        );
        if (r.fenced) throw new LeadershipLostError('enqueue fenced: a newer leader exists');
        // The ackId, lastReadAt and the feed's highWater in one round trip, fenced by the lease.
        const stored = await state.saveRead(holder, { at: receivedAt, events: events.length, ackId });
        if (!stored) throw new LeadershipLostError('ackId not stored: no longer the leader');
        return r;
      };
      // Redis unavailable: retried until it is back. The input unstorable (a poison event that processBatch's
      // own isolation did not absorb): the batch is stored again with its dead letters reduced to a digest of
      // each raw event (sha256 and length), and reading goes on.
      const result = await retry('enqueue', storeBatch(), storerSignal, isUnstorableInput).catch(
        async (err: unknown) => {
          if (!(err instanceof UnstorableBatchError)) throw err;
          slog.error(
            { err: serializeError(err), events: events.length },
            'batch cannot be stored as is: storing its dead letters as digests',
          );
          metrics.outcomes.inc({ outcome: 'batch_digested' });
          return retry('enqueue-digested', storeBatch(err.message), storerSignal);
        },
      );
      source.committed(ackId);
      readSpan?.span.end();
      metrics.enqueueSeconds.observe((now() - tEnqueue) / 1000);
      if (events.length > 0) slog.debug({ ...result, events: events.length }, 'batch stored');
    };

    const storer = async (): Promise<void> => {
      const until = AbortSignal.any([storerSignal, readerEnded.signal]);
      while (!storerSignal.aborted) {
        const batch = held.head();
        if (batch === undefined) {
          if (readerDone) return;
          await held.waitForBatch(until);
          continue;
        }
        // Read-ahead: let the reader send its next read before this batch's CPU work (validating every event)
        // starts; otherwise the read goes out only once the batch is parsed and its first write sent.
        if (readAhead > 0) await yieldToReader();
        // A store stuck on a paused or dead Redis is abandoned at the deadline (shutdown, leadership lost): the
        // batch stays held (v1: stored again first by the next session of this replica; dedup makes it harmless).
        await raceSignal(storeOne(batch), storerSignal);
        held.shift();
      }
    };

    const readerRun = reader()
      .catch((err: unknown) => {
        // A stop that interrupts a feed recreation ends the reader only: the storer still stores what is held.
        if (!(isAbort(err) && stop.aborted && !lost.signal.aborted)) fail(err);
      })
      .finally(() => {
        readerDone = true;
        readerEnded.abort();
      });
    await Promise.all([readerRun, storer().catch(fail)]);
    if (firstError !== undefined) throw firstError;
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
          dropUnackedBatches();
          if (held.size() > 0 && !stop.aborted) {
            log.warn(
              { batches: held.size(), events: held.events() },
              'v1: batches read and not stored kept in memory; stored first when this replica leads again',
            );
          }
        }
      }
      const lost = held.clear();
      if (lost.length > 0) {
        // v1 only (v2 and datahose batches were dropped above and are redelivered): gone from the agent.
        log.error(
          {
            batches: lost.length,
            events: lost.reduce((n, b) => n + b.events.length, 0),
            readFrom: lost[0]?.receivedAt,
            readTo: lost[lost.length - 1]?.receivedAt,
          },
          'v1: events read from the feed and not stored before the exit are lost (no redelivery)',
        );
      }
    },
    lastReadAt: () => lastReadAt,
    sessionStartedAt: () => sessionStartedAt,
    leadershipLost() {
      session?.abort();
    },
  };
}
