import { isAbort } from './is-abort.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';
import { readFeed } from './read-feed.ts';
import { retryForever } from './retry-forever.ts';
import type { SessionContext } from './session-context.ts';
import { storeHeldBatches } from './store-held-batches.ts';

/**
 * One leader session, from the lease's token: opens the feed and records the session (leaderSince, a batch the
 * previous session left in hand), then reads and stores side by side until `stop` (or the lease is lost, or a
 * side fails: the other stops too and the first error is thrown). `hard` abandons the batch being stored; until
 * then a batch read before the stop is still stored. Returns at once when this replica holds no lease.
 */
export async function runLeaderSession(
  { options, deps, loop, log }: Pick<SessionContext, 'options' | 'deps' | 'loop' | 'log'>,
  stop: AbortSignal,
  hard: AbortSignal,
): Promise<void> {
  const { lease, source, state, metrics, now } = deps;
  const { held } = loop;
  const token = lease.token();
  const holder = lease.holder();
  if (token === undefined || holder === undefined) return;
  const lost = new AbortController();
  loop.session = lost;
  const readSignal = AbortSignal.any([stop, lost.signal]);
  const batchSignal = AbortSignal.any([hard, lost.signal]);
  const slog = log.child({ leaderToken: token });
  const retry: SessionContext['retry'] = (label, fn, signal, unstorable) =>
    retryForever(fn, {
      label,
      signal,
      logger: slog,
      metrics,
      maxDelayMs: options.maxBackoffMs,
      ...(unstorable ? { unstorable } : {}),
    });

  await retry('open-feed', () => source.open(holder, readSignal), readSignal);
  if (loop.botUserId === undefined && !options.ingestOwnMessages) {
    loop.botUserId = (
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
  loop.sessionStartedAt = now();
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
  const ctx: SessionContext = { options, deps, loop, token, holder, log: slog, retry, readAhead };
  const failed = new AbortController();
  const readerEnded = new AbortController();
  let firstError: unknown;
  const fail = (err: unknown): void => {
    if (firstError === undefined) firstError = err;
    failed.abort();
  };
  const reading = readFeed(ctx, AbortSignal.any([readSignal, failed.signal]))
    .catch((err: unknown) => {
      // A stop that interrupts a feed recreation ends the reader only: the storer still stores what is held.
      if (!(isAbort(err) && stop.aborted && !lost.signal.aborted)) fail(err);
    })
    .finally(() => readerEnded.abort());
  const storing = storeHeldBatches(ctx, AbortSignal.any([batchSignal, failed.signal]), readerEnded.signal);
  await Promise.all([reading, storing.catch(fail)]);
  if (firstError !== undefined) throw firstError;
}
