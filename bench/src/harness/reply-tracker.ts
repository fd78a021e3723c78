/**
 * Matches injected commands to the bot's replies. Each injection carries a tag `<stream>-<seq>` (seq counts up
 * per stream from 1); the reply text carries the same tag. From that: latency (injection → reply seen by the
 * simulator), duplicates (a tag answered twice), order violations (a reply whose seq is lower than one already
 * answered in the same stream) and lost events (never answered).
 */
export interface ReplyTracker {
  /** Record an injection; returns the tag to put in the command text. */
  injected(stream: number, seq: number, at?: number): string;
  /** Feed every message the bot posts (the text is searched for `done <tag>`). */
  replySeen(text: string, at?: number): void;
  readonly injectedCount: number;
  readonly answeredCount: number;
  /** Whether every injection has been answered. */
  allAnswered(): boolean;
  /** Time the last first-answer arrived (ms epoch), or undefined. */
  lastAnswerAt(): number | undefined;
  report(filter?: (stream: number) => boolean): TrackerReport;
  /** Times of every first answer, ascending (ms epoch). */
  answerTimes(): number[];
}

export interface TrackerReport {
  injected: number;
  answered: number;
  lost: number;
  duplicates: number;
  orderViolations: number;
  /** Latency of each first answer, ms. */
  latenciesMs: number[];
  /** Replies whose text had no known tag (should stay 0). */
  unknownReplies: number;
}

const TAG_RE = /done (\d+)-(\d+)/;

export function createReplyTracker(now: () => number = Date.now): ReplyTracker {
  const injectedAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const duplicates = new Map<number, number>();
  const violations = new Map<number, number>();
  const maxSeqAnswered = new Map<number, number>();
  let unknown = 0;
  let lastAnswer: number | undefined;

  const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);

  return {
    injected(stream, seq, at = now()) {
      const tag = `${stream}-${seq}`;
      injectedAt.set(tag, at);
      return tag;
    },
    replySeen(text, at = now()) {
      const m = TAG_RE.exec(text);
      if (!m) {
        unknown++;
        return;
      }
      const stream = Number(m[1]);
      const seq = Number(m[2]);
      const tag = `${stream}-${seq}`;
      if (!injectedAt.has(tag)) {
        unknown++;
        return;
      }
      if (answeredAt.has(tag)) {
        bump(duplicates, stream);
        return;
      }
      answeredAt.set(tag, at);
      lastAnswer = at;
      const max = maxSeqAnswered.get(stream) ?? 0;
      if (seq < max) bump(violations, stream);
      else maxSeqAnswered.set(stream, seq);
    },
    get injectedCount() {
      return injectedAt.size;
    },
    get answeredCount() {
      return answeredAt.size;
    },
    allAnswered: () => answeredAt.size === injectedAt.size,
    lastAnswerAt: () => lastAnswer,
    answerTimes: () => [...answeredAt.values()].sort((a, b) => a - b),
    report(filter = () => true) {
      let injected = 0;
      let answered = 0;
      const latenciesMs: number[] = [];
      for (const [tag, at] of injectedAt) {
        const stream = Number(tag.slice(0, tag.indexOf('-')));
        if (!filter(stream)) continue;
        injected++;
        const a = answeredAt.get(tag);
        if (a !== undefined) {
          answered++;
          latenciesMs.push(a - at);
        }
      }
      const sum = (m: Map<number, number>) => {
        let n = 0;
        for (const [s, c] of m) if (filter(s)) n += c;
        return n;
      };
      return {
        injected,
        answered,
        lost: injected - answered,
        duplicates: sum(duplicates),
        orderViolations: sum(violations),
        latenciesMs,
        unknownReplies: unknown,
      };
    },
  };
}
