import type { Logger } from '@baton/shared';
import {
  type DeadLetterInput,
  type EnqueueItem,
  type EnqueueResult,
  eventKey,
  initiatorUserId,
  jsonSha256,
  type Mailbox,
  orderingKeyOf,
  parseEvent,
  scheduleDrains,
  serializeError,
  writeDeadLetters,
} from '@baton/shared';
import type { Context } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import { eventTraceCarrier } from './event-trace-carrier.ts';
import type { IngesterMetrics } from './ingester-metrics.ts';
import { isUnstorableInput } from './is-unstorable-input.ts';

export interface BatchDeps {
  mailbox: Mailbox;
  drainQueue: Queue;
  dlqQueue: Queue;
  metrics: IngesterMetrics;
  logger: Logger;
}

export interface BatchOptions {
  dedupTtlSec: number;
  ingestOwnMessages: boolean;
  /** The bot's user id (its own MESSAGESENT events are dropped unless ingestOwnMessages). */
  botUserId: number | undefined;
  leaderToken: string;
  receivedAt: number;
  /**
   * Store of each dead letter's raw event only its sha256 and length (`notStoredRaw`), and add this note to its
   * reason: the read loop's last resort for a batch whose write failed on its input and was not absorbed by
   * the per-event isolation (docs/ingester.md, "Poison batches"). Valid events are enqueued as usual.
   */
  digestDeadLetters?: string;
  /** The read's span context (tracing on): each stored event gets a child span whose context goes with it. */
  traceContext?: Context;
  /**
   * Give the event loop back after every this many events validated (v1 read-ahead: the next read's answer is
   * taken, and the read after it sent, while a large batch is validated). Default: never.
   */
  yieldEvery?: number;
}

export interface BatchResult {
  added: number;
  duplicates: number;
  invalid: number;
  ownDropped: number;
  fenced: boolean;
}

type Sorted =
  | { kind: 'invalid'; reason: string; type?: string; id?: string }
  | { kind: 'own' }
  | { kind: 'valid'; type: string; item: EnqueueItem };

const describeError = (err: unknown): string => {
  const { name, message } = serializeError(err);
  return `${name}: ${message.slice(0, 300)}`;
};

/**
 * What a quarantined event's dead letter stores in place of the raw event: its sha256 and length (computed
 * without recursion; never throws), e.g. `[not stored] sha256 3f…, 120034 characters`.
 */
export function notStoredRaw(raw: unknown): string {
  try {
    const { sha256, chars, complete } = jsonSha256(raw);
    return `[not stored] sha256 ${sha256}, ${complete ? '' : 'first '}${chars} characters`;
  } catch (err) {
    return `[not stored] unreadable (${describeError(err)})`;
  }
}

/** What becomes of one raw event: validated (`parseEvent`), keyed, or refused with the reason. */
function sortEvent(raw: unknown, opts: BatchOptions): Sorted {
  const parsed = parseEvent(raw);
  if (!parsed.ok) {
    return {
      kind: 'invalid',
      reason: parsed.reason,
      ...(parsed.type !== undefined ? { type: parsed.type } : {}),
      ...(parsed.id !== undefined ? { id: parsed.id } : {}),
    };
  }
  const event = parsed.event;
  if (
    !opts.ingestOwnMessages &&
    event.type === 'MESSAGESENT' &&
    opts.botUserId !== undefined &&
    initiatorUserId(event) === opts.botUserId
  ) {
    return { kind: 'own' };
  }
  const trace = eventTraceCarrier(event, opts.traceContext);
  const item = {
    key: eventKey(event),
    streamId: orderingKeyOf(event),
    event: raw,
    receivedAt: opts.receivedAt,
    // Orders a late older event (a redelivery) among its stream's pending ones; see docs/ingester.md.
    ts: event.timestamp,
    ...(trace ? { trace } : {}),
  };
  return { kind: 'valid', type: event.type, item };
}

/**
 * Appends the items in one call per partition. Should that fail on the input (`isUnstorableInput`, which no
 * validated event is expected to cause), the items are written one at a time, in order, and each one that
 * still fails is turned into a dead letter (added to `dead`) instead: one event cannot hold back the others.
 * Redis errors are thrown (the caller retries the batch; dedup makes the items already written harmless).
 */
async function enqueueIsolating(
  items: EnqueueItem[],
  opts: BatchOptions,
  deps: BatchDeps,
  dead: DeadLetterInput[],
): Promise<EnqueueResult> {
  const enqueueOpts = { leaderToken: opts.leaderToken, dedupTtlSec: opts.dedupTtlSec };
  try {
    return await deps.mailbox.enqueue(items, enqueueOpts);
  } catch (err) {
    if (!isUnstorableInput(err)) throw err;
    deps.logger.error(
      { err: serializeError(err) },
      'batch not storable as a whole: storing its events one by one',
    );
  }
  const total: EnqueueResult = { added: 0, duplicates: 0, moved: 0, freshStreams: [], fenced: false };
  for (const item of items) {
    let one: EnqueueResult;
    try {
      one = await deps.mailbox.enqueue([item], enqueueOpts);
    } catch (err) {
      if (!isUnstorableInput(err)) throw err;
      const reason = `mailbox: the event cannot be stored (${describeError(err)})`;
      dead.push({
        stage: 'ingest',
        reason,
        streamId: item.streamId,
        key: item.key,
        raw: item.event,
        error: err,
      });
      deps.logger.error({ key: item.key, reason }, 'unstorable event dead-lettered');
      continue;
    }
    if (one.fenced) return { ...total, fenced: true };
    total.added += one.added;
    total.duplicates += one.duplicates;
    total.moved += one.moved;
    for (const s of one.freshStreams) if (!total.freshStreams.includes(s)) total.freshStreams.push(s);
  }
  return total;
}

/**
 * Makes one feed batch safe in Redis: invalid events to the DLQ, the bot's own messages dropped (unless
 * configured), valid ones appended to their mailboxes (fenced by the leader token, duplicates skipped), and a
 * drain scheduled for every stream whose mailbox was empty. Safe to call again with the same batch after an
 * error. Nothing an event contains makes it throw: an event that cannot be read or stored is dead-lettered with
 * the reason. Throws on Redis errors (the caller retries).
 */
export async function processBatch(
  events: unknown[],
  opts: BatchOptions,
  deps: BatchDeps,
): Promise<BatchResult> {
  const { metrics } = deps;
  const items: EnqueueItem[] = [];
  const dead: DeadLetterInput[] = [];
  let ownDropped = 0;
  let sinceYield = 0;
  for (const raw of events) {
    if (opts.yieldEvery !== undefined && ++sinceYield > opts.yieldEvery) {
      sinceYield = 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    let sorted: Sorted;
    try {
      sorted = sortEvent(raw, opts);
    } catch (err) {
      // parseEvent never throws by contract; should reading an event throw all the same, that is its reason.
      sorted = { kind: 'invalid', reason: `event: could not be read (${describeError(err)})` };
    }
    if (sorted.kind === 'invalid') {
      metrics.events.inc({ type: 'INVALID' });
      dead.push({ stage: 'ingest', reason: sorted.reason, raw, failedAt: opts.receivedAt });
      deps.logger.warn(
        { eventId: sorted.id, type: sorted.type, reason: sorted.reason },
        'invalid event dead-lettered',
      );
    } else if (sorted.kind === 'own') {
      metrics.events.inc({ type: 'MESSAGESENT' });
      ownDropped += 1;
    } else {
      metrics.events.inc({ type: sorted.type });
      items.push(sorted.item);
    }
  }

  const result = await enqueueIsolating(items, opts, deps, dead);
  // The shared writer bounds each raw event and keys the job on its content (`deadLetterId`), so a batch
  // processed twice (retry, failover) lists each bad event once.
  const note = opts.digestDeadLetters;
  await writeDeadLetters(
    deps.dlqQueue,
    note === undefined
      ? dead
      : dead.map((d) => ({
          ...d,
          reason: `${d.reason} [raw not stored: ${note}]`,
          raw: notStoredRaw(d.raw),
        })),
  );
  // One round trip for all of them (a pipeline of deduplicated adds).
  await scheduleDrains(deps.drainQueue, result.freshStreams);
  metrics.outcomes.inc({ outcome: 'enqueued' }, result.added);
  metrics.outcomes.inc({ outcome: 'duplicate' }, result.duplicates);
  metrics.outcomes.inc({ outcome: 'dead_lettered' }, dead.length);
  metrics.outcomes.inc({ outcome: 'own_message_dropped' }, ownDropped);
  return {
    added: result.added,
    duplicates: result.duplicates,
    invalid: dead.length,
    ownDropped,
    fenced: result.fenced,
  };
}
