/** One expected event of a drill: stream `stream` must get exactly one reply `text`, in `seq` order. */
export interface SentEvent {
  stream: string;
  seq: number;
  text: string;
  sentAt: number;
  /** The message's id at the simulator (a worker logs it with a late delivery). */
  messageId?: string;
}

/** What the bot posted, as the simulator recorded it (oldest first per stream). */
export interface ObservedReply {
  stream: string;
  text: string;
  timestamp: number;
}

/** A time window in which events may legitimately be lost (v2 feed expiry: Symphony deletes the feed). */
export interface LossWindow {
  from: number;
  to: number;
  reason: string;
}

export interface AuditResult {
  events: number;
  answered: number;
  /** Never answered, outside any loss window. */
  lost: SentEvent[];
  /** Never answered, sent inside a loss window (reported, not hidden). */
  lostInWindow: SentEvent[];
  /** Extra replies beyond the first, per event. */
  duplicated: number;
  /** The events answered more than once, with the times of their replies. */
  duplicatedEvents: { event: SentEvent; replyTimes: number[] }[];
  /** First replies that came after a reply to a later event of the same stream. */
  reordered: number;
  /** Those events, with the highest seq already answered in their stream when they were. */
  reorderedEvents: { event: SentEvent; after: number; at: number }[];
  /** Bot messages in the drill's streams that answer no expected event. */
  unexpected: ObservedReply[];
}

/**
 * Checks the drill's contract from the simulator's record: every event answered exactly once and, per stream,
 * the replies in send order. Pure, so it is unit-tested on its own (a checker that cannot fail is useless).
 */
export function auditReplies(
  sent: readonly SentEvent[],
  replies: readonly ObservedReply[],
  lossWindows: readonly LossWindow[] = [],
): AuditResult {
  const byKey = new Map<string, SentEvent>();
  for (const e of sent) byKey.set(`${e.stream}\u0000${e.text}`, e);
  const counts = new Map<SentEvent, number>();
  const times = new Map<SentEvent, number[]>();
  const unexpected: ObservedReply[] = [];
  let reordered = 0;
  const reorderedEvents: AuditResult['reorderedEvents'] = [];
  const maxSeq = new Map<string, number>();
  for (const r of replies) {
    const e = byKey.get(`${r.stream}\u0000${r.text}`);
    if (!e) {
      unexpected.push(r);
      continue;
    }
    const n = (counts.get(e) ?? 0) + 1;
    counts.set(e, n);
    times.set(e, [...(times.get(e) ?? []), r.timestamp]);
    if (n > 1) continue;
    const max = maxSeq.get(e.stream) ?? -1;
    if (e.seq < max) {
      reordered += 1;
      reorderedEvents.push({ event: e, after: max, at: r.timestamp });
    } else maxSeq.set(e.stream, e.seq);
  }
  const lost: SentEvent[] = [];
  const lostInWindow: SentEvent[] = [];
  let duplicated = 0;
  const duplicatedEvents: AuditResult['duplicatedEvents'] = [];
  for (const e of sent) {
    const n = counts.get(e) ?? 0;
    if (n === 0) {
      const inWindow = lossWindows.some((w) => e.sentAt >= w.from && e.sentAt <= w.to);
      (inWindow ? lostInWindow : lost).push(e);
    }
    if (n > 1) {
      duplicated += n - 1;
      duplicatedEvents.push({ event: e, replyTimes: times.get(e) ?? [] });
    }
  }
  return {
    events: sent.length,
    answered: sent.length - lost.length - lostInWindow.length,
    lost,
    lostInWindow,
    duplicated,
    duplicatedEvents,
    reordered,
    reorderedEvents,
    unexpected,
  };
}
