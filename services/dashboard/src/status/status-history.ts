import type { DashboardStatus } from './dashboard-status.ts';

/** One point of the charts: what the status said at `at` (null: that section could not be read then). */
export interface HistorySample {
  at: number;
  pending: number | null;
  oldestAgeMs: number | null;
  handledPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Pending events of the top streams (by backlog) at that time. */
  streams: Record<string, number> | null;
  /** True when `streams` lists every waiting stream, so a stream absent from it had nothing pending. */
  streamsComplete: boolean;
}

/** The JSON served at `/api/history`: the dashboard's own memory of the last `windowMs`, oldest sample first. */
export interface StatusHistoryDocument {
  v: 1;
  sampleMs: number;
  windowMs: number;
  /** When this dashboard process began sampling: nothing older exists (a restart starts an empty chart). */
  since: number;
  samples: HistorySample[];
}

/**
 * A ring buffer of status samples, in memory: at most `windowMs / sampleMs` (+1) samples, none older than
 * `windowMs`. The dashboard adds one every `sampleMs`; a restarted dashboard starts empty.
 */
export function createStatusHistory(opts: { windowMs: number; sampleMs: number; clock?: () => number }) {
  const clock = opts.clock ?? Date.now;
  const capacity = Math.ceil(opts.windowMs / opts.sampleMs) + 1;
  const ring: (HistorySample | undefined)[] = new Array(capacity);
  let next = 0;
  let size = 0;
  const since = clock();

  const ordered = (): HistorySample[] => {
    const out: HistorySample[] = [];
    for (let i = 0; i < size; i++) {
      const s = ring[(next - size + i + capacity) % capacity];
      if (s) out.push(s);
    }
    return out;
  };

  return {
    add(s: DashboardStatus): HistorySample {
      const sample: HistorySample = {
        at: s.generatedAt,
        pending: s.backlog?.pending ?? null,
        oldestAgeMs: s.backlog ? (s.backlog.oldestAgeMs ?? 0) : null,
        handledPerSecond: s.handled?.perSecond ?? null,
        p50Ms: s.latency?.p50Ms ?? null,
        p99Ms: s.latency?.p99Ms ?? null,
        streams: s.topStreams ? Object.fromEntries(s.topStreams.map((t) => [t.streamId, t.pending])) : null,
        streamsComplete:
          s.topStreams !== null && s.backlog !== null && s.topStreams.length >= s.backlog.streams,
      };
      ring[next] = sample;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
      return sample;
    },
    /** The samples of the last `windowMs`, oldest first. */
    document(): StatusHistoryDocument {
      const cutoff = clock() - opts.windowMs;
      return {
        v: 1,
        sampleMs: opts.sampleMs,
        windowMs: opts.windowMs,
        since,
        samples: ordered().filter((s) => s.at >= cutoff),
      };
    },
    get size(): number {
      return size;
    },
    sampleMs: opts.sampleMs,
  };
}
