import { createHash } from 'node:crypto';
import type { Logger } from '@baton/shared';
import {
  type DeadLetter,
  type EnqueueItem,
  eventKey,
  initiatorUserId,
  type Mailbox,
  orderingKeyOf,
  parseEvent,
  scheduleDrain,
} from '@baton/shared';
import type { Queue } from 'bullmq';
import type { IngesterMetrics } from './ingester-metrics.ts';

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
}

export interface BatchResult {
  added: number;
  duplicates: number;
  invalid: number;
  ownDropped: number;
  fenced: boolean;
}

function deadLetterId(raw: unknown): string {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  } catch {
    text = String(raw);
  }
  return `ingest-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/**
 * Makes one feed batch safe in Redis: invalid events to the DLQ, the bot's own messages dropped (unless
 * configured), valid ones appended to their mailboxes (fenced by the leader token, duplicates skipped), and a
 * drain scheduled for every stream whose mailbox was empty. Safe to call again with the same batch after an
 * error. Throws on Redis errors; the caller retries.
 */
export async function processBatch(
  events: unknown[],
  opts: BatchOptions,
  deps: BatchDeps,
): Promise<BatchResult> {
  const { metrics } = deps;
  const items: EnqueueItem[] = [];
  const dead: DeadLetter[] = [];
  let ownDropped = 0;
  for (const raw of events) {
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      metrics.events.inc({ type: 'INVALID' });
      dead.push({ v: 1, stage: 'ingest', reason: parsed.reason, raw, failedAt: opts.receivedAt });
      deps.logger.warn(
        { eventId: parsed.id, type: parsed.type, reason: parsed.reason },
        'invalid event dead-lettered',
      );
      continue;
    }
    const event = parsed.event;
    metrics.events.inc({ type: event.type });
    if (
      !opts.ingestOwnMessages &&
      event.type === 'MESSAGESENT' &&
      opts.botUserId !== undefined &&
      initiatorUserId(event) === opts.botUserId
    ) {
      ownDropped += 1;
      continue;
    }
    items.push({
      key: eventKey(event),
      streamId: orderingKeyOf(event),
      event: raw,
      receivedAt: opts.receivedAt,
    });
  }

  if (dead.length > 0) {
    // Deduplicated by content so a batch processed twice (retry, failover) lists each bad event once.
    await deps.dlqQueue.addBulk(
      dead.map((d) => ({
        name: 'ingest-invalid',
        data: d,
        opts: {
          deduplication: { id: deadLetterId(d.raw), ttl: opts.dedupTtlSec * 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
  }
  const result = await deps.mailbox.enqueue(items, {
    leaderToken: opts.leaderToken,
    dedupTtlSec: opts.dedupTtlSec,
  });
  if (result.freshStreams.length > 0) {
    await Promise.all(result.freshStreams.map((s) => scheduleDrain(deps.drainQueue, s)));
  }
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
