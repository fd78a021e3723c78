import type { LiveWorker } from './dashboard-status.ts';

interface Sample {
  beatAt: number;
  handled: number;
}

/**
 * Turns the cumulative per-worker `handled` counters found in heartbeats into events/s: for each live worker,
 * (newest − oldest count) / (newest − oldest beat time) over the last `windowMs` of its beats, summed over
 * workers. Uses the workers' own beat timestamps, so the dashboard's refresh rhythm does not matter. A counter
 * that goes down (a worker restarted under the same id) restarts that worker's window.
 */
export function createHandledRate(opts: { windowMs: number; field?: string }) {
  const field = opts.field ?? 'handled';
  const history = new Map<string, Sample[]>();
  return {
    field,
    observe(workers: readonly LiveWorker[]): { perSecond: number | null; total: number; windowMs: number } {
      let total = 0;
      let perSecond: number | null = null;
      const seen = new Set<string>();
      for (const w of workers) {
        const handled = w.stats[field];
        if (handled === undefined || w.beatAt === null) continue;
        seen.add(w.id);
        total += handled;
        let samples = history.get(w.id) ?? [];
        const last = samples.at(-1);
        if (last && handled < last.handled) samples = [];
        if (!last || w.beatAt > last.beatAt) samples.push({ beatAt: w.beatAt, handled });
        const beatAt = w.beatAt;
        // Keep the newest sample at or before the window start, so the window is fully covered.
        while (samples.length > 2 && (samples[1]?.beatAt ?? beatAt) <= beatAt - opts.windowMs)
          samples.shift();
        history.set(w.id, samples);
        const first = samples[0];
        const newest = samples.at(-1);
        if (first && newest && newest.beatAt > first.beatAt) {
          const rate = ((newest.handled - first.handled) * 1000) / (newest.beatAt - first.beatAt);
          perSecond = (perSecond ?? 0) + rate;
        }
      }
      for (const id of history.keys()) if (!seen.has(id)) history.delete(id);
      return {
        perSecond: perSecond === null ? null : Math.round(perSecond * 100) / 100,
        total,
        windowMs: opts.windowMs,
      };
    },
  };
}
