import type { BenchResult } from '../bench-result.ts';

/** One target of the issue, evaluated on the results. */
export interface TargetCheck {
  scenario: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const byVariant = (rs: BenchResult[], prefix: string) => rs.filter((r) => r.variant.startsWith(prefix));

/** Evaluates the targets on whatever scenarios ran (null = not measurable from these results). */
export function checkTargets(results: Record<string, BenchResult[]>): TargetCheck[] {
  const out: TargetCheck[] = [];
  const burst = results.burst ?? [];
  for (const r of byVariant(burst, 'baton')) {
    out.push({
      scenario: 'burst',
      target: `${r.variant} ${r.feedVersion}: lost 0, dup 0, order 0, feed HW < 50`,
      measured: `lost ${r.lost}, dup ${r.duplicates}, order ${r.orderViolations}, HW ${r.feedHighWater}`,
      met: r.lost === 0 && r.duplicates === 0 && r.orderViolations === 0 && r.feedHighWater < 50,
    });
  }
  for (const fv of ['v1', 'v2'] as const) {
    const runs = byVariant(burst, 'baton')
      .filter((r) => r.feedVersion === fv && r.drainSeconds !== null)
      .map((r) => ({ w: Number(/w(\d+)/.exec(r.variant)?.[1]), s: r.drainSeconds as number }))
      .sort((a, b) => a.w - b.w);
    const first = runs[0];
    const last = runs[runs.length - 1];
    if (first && last && last.w > first.w) {
      const speedup = first.s / last.s;
      const ideal = last.w / first.w;
      out.push({
        scenario: 'burst',
        target: `${fv}: drain time falls near-linearly w${first.w}→w${last.w} (≥ 75% of ${ideal}x)`,
        measured: runs.map((x) => `w${x.w} ${x.s}s`).join(', ') + ` (${speedup.toFixed(2)}x)`,
        met: speedup >= 0.75 * ideal,
      });
    }
  }
  const iso = results.isolation ?? [];
  for (const slow of iso.filter((r) => r.variant.endsWith('+slow'))) {
    const base = iso.find((r) => r.variant === slow.variant.replace('+slow', ''));
    if (!base || base.latencyMs.p99 === null || slow.latencyMs.p99 === null) continue;
    const ratio = slow.latencyMs.p99 / base.latencyMs.p99;
    out.push({
      scenario: 'isolation',
      target: `${base.variant}: normal streams' p99 within 20% of the run without the slow stream`,
      measured: `p99 ${base.latencyMs.p99} → ${slow.latencyMs.p99} ms (${ratio.toFixed(2)}x)`,
      met: ratio <= 1.2,
    });
  }
  for (const r of results.ceiling ?? []) {
    const ingest = Number(r.extra.ingestEventsPerSecond ?? Number.NaN);
    out.push({
      scenario: 'ceiling',
      target: 'ingester ≥ 10,000 events/s feed→Redis',
      measured: Number.isFinite(ingest)
        ? `${ingest} ev/s (ratio to redis-benchmark SET: ${String(r.extra.ingestToRedisSetRatio ?? '-')})`
        : 'not measured',
      met: Number.isFinite(ingest) ? ingest >= 10_000 : null,
    });
  }
  for (const r of byVariant(results.steady ?? [], 'baton')) {
    const rss = r.usage.ingester?.peakRssMb;
    out.push({
      scenario: 'steady',
      target: `${r.variant}: p99 < 50 ms at ${String(r.extra.ratePerSec)} ev/s, ${r.handlerMs} ms handlers; ingester RSS < 150 MB`,
      measured: `p99 ${r.latencyMs.p99} ms, ingester RSS ${rss ?? '-'} MB, lost ${r.lost}`,
      met: r.latencyMs.p99 !== null && r.latencyMs.p99 < 50 && rss !== undefined && rss < 150 && r.lost === 0,
    });
  }
  return out;
}
