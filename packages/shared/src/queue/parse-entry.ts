import { CorruptEntryError } from './corrupt-entry-error.ts';
import { type QueuedEvent, QueuedEventSchema } from './queued-event.ts';

/** Parses a raw mailbox entry; throws CorruptEntryError. */
export function parseEntry(streamId: string, raw: string): QueuedEvent {
  const seqMatch = /^\{"seq":(\d+),/.exec(raw);
  const seq = seqMatch?.[1] !== undefined ? Number(seqMatch[1]) : null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new CorruptEntryError(streamId, raw, seq, `not JSON: ${(err as Error).message}`);
  }
  const parsed = QueuedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptEntryError(
      streamId,
      raw,
      seq,
      `schema: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}`,
    );
  }
  if (parsed.data.streamId !== streamId) {
    throw new CorruptEntryError(streamId, raw, seq, `entry belongs to stream ${parsed.data.streamId}`);
  }
  return parsed.data;
}

/** parseEntry, or null when `raw` is not a string or does not parse (the caller peeks it to see why). */
export function tryParseEntry(streamId: string, raw: unknown): QueuedEvent | null {
  if (typeof raw !== 'string') return null;
  try {
    return parseEntry(streamId, raw);
  } catch {
    return null;
  }
}
