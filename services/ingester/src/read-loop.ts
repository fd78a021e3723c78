import { abortableSleep, childLogger, type SymphonyClient } from '@baton/shared';
import type { FeedSource } from './feed-source.ts';
import type { FeedState } from './feed-state.ts';
import { createHeldBatches } from './held-batches.ts';
import { isAbort } from './is-abort.ts';
import type { LeaderLease } from './leader-lease.ts';
import { runLeaderSession } from './leader-session.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';
import type { BatchDeps } from './process-batch.ts';
import type { ReadLoopState } from './read-loop-state.ts';
import { errorClass } from './retry-forever.ts';

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

export function createReadLoop(options: ReadLoopOptions, deps: ReadLoopDeps): ReadLoop {
  const { lease, source, metrics } = deps;
  const log = childLogger(deps.logger, { component: 'read-loop' });
  const loop: ReadLoopState = {
    lastReadAt: null,
    sessionStartedAt: null,
    session: undefined,
    botUserId: undefined,
    held: createHeldBatches((size) => metrics.heldBatches.set(size)),
  };
  const { held } = loop;

  /** v2 and datahose: a batch not stored is not acknowledged; the agent redelivers it (to whoever leads). */
  function dropUnackedBatches(): void {
    if (source.describe().version === 'v1' || held.size() === 0) return;
    const dropped = held.clear();
    log.info(
      { batches: dropped.length, events: dropped.reduce((n, b) => n + b.events.length, 0) },
      'batch read and not stored dropped: not acknowledged, the agent delivers it again',
    );
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
          await runLeaderSession({ options, deps, loop, log }, stop, hard);
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
          loop.session = undefined;
          loop.sessionStartedAt = null;
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
    lastReadAt: () => loop.lastReadAt,
    sessionStartedAt: () => loop.sessionStartedAt,
    leadershipLost() {
      loop.session?.abort();
    },
  };
}
