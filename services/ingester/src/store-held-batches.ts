import { raceSignal } from '@baton/shared';
import type { SessionContext } from './session-context.ts';
import { storeBatch } from './store-batch.ts';

/** One turn of the event loop: microtasks and process.nextTick callbacks already queued (a read being sent) run first. */
const yieldToReader = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The storer of a leader session: stores the held batches strictly in order (batch N enqueued and its drains
 * scheduled before batch N+1 is touched), removing each only once it is stored. Returns when `signal` aborts, or
 * once nothing is held after `readerEnded` aborted (the reader returned).
 */
export async function storeHeldBatches(
  ctx: SessionContext,
  signal: AbortSignal,
  readerEnded: AbortSignal,
): Promise<void> {
  const { held } = ctx.loop;
  const until = AbortSignal.any([signal, readerEnded]);
  while (!signal.aborted) {
    const batch = held.head();
    if (batch === undefined) {
      if (readerEnded.aborted) return;
      await held.waitForBatch(until);
      continue;
    }
    // Read-ahead: let the reader send its next read before this batch's CPU work (validating every event)
    // starts; otherwise the read goes out only once the batch is parsed and its first write sent.
    if (ctx.readAhead > 0) await yieldToReader();
    // A store stuck on a paused or dead Redis is abandoned at the deadline (shutdown, leadership lost): the
    // batch stays held (v1: stored again first by the next session of this replica; dedup makes it harmless).
    await raceSignal(storeBatch(ctx, batch, signal), signal);
    held.shift();
  }
}
