import { type DeadLetterEntry, whyNotReplayable } from '@baton/shared';

/** One dead letter as the page lists it (`/api/dlq`): what failed, where, when, and whether it can be replayed. */
export interface DeadLetterView {
  id: string;
  /** When it failed for good (epoch ms; null for an unreadable entry). */
  failedAt: number | null;
  stage: 'ingest' | 'handle';
  reason: string;
  streamId: string | null;
  key: string | null;
  attempts: number | null;
  /** The last error's class and message (and BatonError code), without the stack (see `/api/dlq/:id`). */
  error: { name: string; message: string; code?: string } | null;
  replayable: boolean;
  /** Why it cannot be replayed (the shared `whyNotReplayable`). */
  notReplayable?: string;
  /** Set when the stored job data does not match the dead-letter schema. */
  invalid?: string;
}

/** A page of dead letters, oldest first, and how many there are in all. */
export interface DeadLetterList {
  total: number;
  offset: number;
  limit: number;
  entries: DeadLetterView[];
}

export function toDeadLetterView(entry: DeadLetterEntry): DeadLetterView {
  const d = entry.data;
  const why = whyNotReplayable(entry);
  return {
    id: entry.id,
    failedAt: entry.invalid || d.failedAt === 0 ? null : d.failedAt,
    stage: d.stage,
    reason: d.reason,
    streamId: d.streamId ?? null,
    key: d.key ?? null,
    attempts: d.attempts ?? null,
    error: d.error
      ? { name: d.error.name, message: d.error.message, ...(d.error.code ? { code: d.error.code } : {}) }
      : null,
    replayable: why === undefined,
    ...(why !== undefined ? { notReplayable: why } : {}),
    ...(entry.invalid ? { invalid: entry.invalid } : {}),
  };
}
