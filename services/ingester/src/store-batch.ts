import { serializeError } from '@baton/shared';
import type { HeldBatch } from './held-batches.ts';
import { isUnstorableInput } from './is-unstorable-input.ts';
import { LeadershipLostError } from './leadership-lost-error.ts';
import { type BatchResult, processBatch } from './process-batch.ts';
import type { SessionContext } from './session-context.ts';
import { startReadSpan } from './start-read-span.ts';
import { UnstorableBatchError } from './unstorable-batch-error.ts';

/** v1 read-ahead: events validated between two turns of the event loop (the reader's answers are taken between). */
const YIELD_EVERY_EVENTS = 10;

/**
 * Stores one held batch: its events enqueued (drains scheduled, dead letters written), then its ackId, the read
 * and the feed's highWater in one round trip fenced by the lease; then the source reads from that ackId. A batch
 * with no event and no new ackId only records the read. Redis errors are retried until `signal` aborts.
 */
export async function storeBatch(ctx: SessionContext, batch: HeldBatch, signal: AbortSignal): Promise<void> {
  const { options, deps, loop, log, retry, holder } = ctx;
  const { source, state, metrics, now } = deps;
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
      signal,
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
      signal,
    );
  }
  const store = (digestDeadLetters?: string) => async (): Promise<BatchResult> => {
    const r = await processBatch(
      events,
      {
        dedupTtlSec: options.dedupTtlSec,
        ingestOwnMessages: options.ingestOwnMessages,
        botUserId: loop.botUserId,
        leaderToken: ctx.token,
        receivedAt,
        ...(ctx.readAhead > 0 ? { yieldEvery: YIELD_EVERY_EVENTS } : {}),
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
  const result = await retry('enqueue', store(), signal, isUnstorableInput).catch(async (err: unknown) => {
    if (!(err instanceof UnstorableBatchError)) throw err;
    log.error(
      { err: serializeError(err), events: events.length },
      'batch cannot be stored as is: storing its dead letters as digests',
    );
    metrics.outcomes.inc({ outcome: 'batch_digested' });
    return retry('enqueue-digested', store(err.message), signal);
  });
  source.committed(ackId);
  readSpan?.span.end();
  metrics.enqueueSeconds.observe((now() - tEnqueue) / 1000);
  if (events.length > 0) log.debug({ ...result, events: events.length }, 'batch stored');
}
