import { bucketQuantile } from './bucket-quantile.ts';
import type { LiveWorker, ReplyLatencyStatus } from './dashboard-status.ts';

interface Sample {
  beatAt: number;
  counts: number[];
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Reply latency p50/p99 over the last `windowMs`, across live workers, from the cumulative latency buckets in
 * their heartbeats: per worker, the newest beat's counts minus those of the oldest beat in the window, added up
 * over workers (buckets add; quantiles would not), then the quantiles of the sum. Like handled/s it needs two
 * beats of a worker; a counter that goes down (the worker restarted under the same id) or other bucket bounds
 * restart that worker's window.
 */
export function createReplyLatencyWindow(opts: { windowMs: number }) {
  const history = new Map<string, { boundsMs: number[]; samples: Sample[] }>();
  return {
    observe(workers: readonly LiveWorker[]): ReplyLatencyStatus {
      let bounds: number[] | undefined;
      let sum: number[] | undefined;
      const seen = new Set<string>();
      for (const w of workers) {
        const l = w.latency;
        if (!l || w.beatAt === null) continue;
        seen.add(w.id);
        let h = history.get(w.id);
        const prev = h?.samples.at(-1);
        if (
          !h ||
          !same(h.boundsMs, l.boundsMs) ||
          (prev && l.counts.some((c, i) => c < (prev.counts[i] ?? 0)))
        )
          h = { boundsMs: [...l.boundsMs], samples: [] };
        const last = h.samples.at(-1);
        if (!last || w.beatAt > last.beatAt) h.samples.push({ beatAt: w.beatAt, counts: [...l.counts] });
        const beatAt = w.beatAt;
        while (h.samples.length > 2 && (h.samples[1]?.beatAt ?? beatAt) <= beatAt - opts.windowMs)
          h.samples.shift();
        history.set(w.id, h);
        const first = h.samples[0];
        const newest = h.samples.at(-1);
        if (!first || !newest || newest === first) continue;
        // Workers with other bounds than the first one seen are left out rather than mixed in wrongly.
        if (bounds && !same(bounds, h.boundsMs)) continue;
        bounds ??= h.boundsMs;
        sum ??= new Array<number>(newest.counts.length).fill(0);
        newest.counts.forEach((c, i) => {
          if (sum) sum[i] = (sum[i] ?? 0) + c - (first.counts[i] ?? 0);
        });
      }
      for (const id of history.keys()) if (!seen.has(id)) history.delete(id);
      const count = sum ? sum.reduce((a, b) => a + b, 0) : 0;
      const q = (p: number) => {
        const v = bounds && sum ? bucketQuantile(bounds, sum, p) : null;
        return v === null ? null : Math.round(v * 10) / 10;
      };
      return { p50Ms: q(0.5), p99Ms: q(0.99), count, windowMs: opts.windowMs };
    },
  };
}
