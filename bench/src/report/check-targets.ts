import type { BenchResult } from '../bench-result.ts';

/** One target of the issue, evaluated on the results. */
export interface TargetCheck {
  scenario: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const byVariant = (rs: BenchResult[], prefix: string) => rs.filter((r) => r.variant.startsWith(prefix));

/** Evaluates the issue's targets on whatever scenarios ran (null = not measurable from these results). */
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
    const ratio = Number(r.extra.ingestToRedisSetRatio ?? Number.NaN);
    const ingest = Number(r.extra.ingestEventsPerSecond ?? Number.NaN);
    out.push({
      scenario: 'ceiling',
      target: 'ingest ceiling ≥ 0.33 of redis-benchmark SET on the same Redis',
      measured: Number.isFinite(ratio) ? `${ingest} ev/s = ${ratio} of SET` : 'not measured',
      met: Number.isFinite(ratio) ? ratio >= 0.33 : null,
    });
    const complete = Number(r.extra.completeEventsPerSecond ?? Number.NaN);
    out.push({
      scenario: 'ceiling',
      target: `${r.variant}: worker no-op completions ≥ 2,000/s`,
      measured: Number.isFinite(complete) ? `${complete}/s` : 'not measured',
      met: Number.isFinite(complete) ? complete >= 2_000 : null,
    });
  }
  const steady = results.steady ?? [];
  const baseline = steady.find((r) => r.variant === 'inline-batch');
  for (const r of byVariant(steady, 'baton')) {
    out.push(...steadyChecks(r, baseline));
  }
  for (const r of byVariant(results['hostile-host'] ?? [], 'baton')) {
    out.push({
      scenario: 'hostile-host',
      target: `${r.variant} ${r.feedVersion} beside a CPU hog: 0 lost, dup, reordered`,
      measured: `lost ${r.lost}, dup ${r.duplicates}, order ${r.orderViolations}, HW ${r.feedHighWater}, expired ${r.feedExpired}`,
      met: r.lost === 0 && r.duplicates === 0 && r.orderViolations === 0,
    });
  }
  out.push(...scaleChecks(results.scale ?? []));
  return out;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b <= 0
    ? null
    : Math.round((a / b) * 100) / 100;

/** Steady: latency and CPU against inline-batch in the same run, Redis commands per event, RSS per service. */
function steadyChecks(r: BenchResult, baseline: BenchResult | undefined): TargetCheck[] {
  const out: TargetCheck[] = [];
  const p99 = ratio(r.latencyMs.p99, baseline?.latencyMs.p99);
  const p50 = ratio(r.latencyMs.p50, baseline?.latencyMs.p50);
  out.push({
    scenario: 'steady',
    target: `${r.variant}: p99 and p50 ≤ 1.2 × inline-batch's (same run)`,
    measured: baseline
      ? `p99 ${r.latencyMs.p99} vs ${baseline.latencyMs.p99} ms (${p99 ?? '-'}), p50 ${r.latencyMs.p50} vs ${baseline.latencyMs.p50} ms (${p50 ?? '-'})`
      : 'no inline-batch run',
    met: p99 === null || p50 === null ? null : p99 <= 1.2 && p50 <= 1.2,
  });
  const cpu = ratio(r.cost.cpuMsPerEvent.total, baseline?.cost.cpuMsPerEvent.total);
  out.push({
    scenario: 'steady',
    target: `${r.variant}: CPU per event ≤ 1.5 × inline-batch's (same run)`,
    measured: baseline
      ? `${r.cost.cpuMsPerEvent.total} vs ${baseline.cost.cpuMsPerEvent.total} ms (${cpu ?? '-'})`
      : 'no inline-batch run',
    met: cpu === null ? null : cpu <= 1.5,
  });
  const cmds = r.cost.redisCommandsPerEvent;
  out.push({
    scenario: 'steady',
    target: `${r.variant}: Redis commands per handled event ≤ 6`,
    measured: cmds === null ? 'not measured' : `${cmds} (scripts ${r.cost.redisScriptsPerEvent ?? '-'})`,
    met: cmds === null ? null : cmds <= 6,
  });
  const rss = Object.entries(r.usage).filter(([role]) => role === 'ingester' || role === 'workers');
  out.push({
    scenario: 'steady',
    target: `${r.variant}: peak RSS ≤ 100 MB per service process; 0 lost`,
    measured: `${rss.map(([role, u]) => `${role} ${u.peakRssMb} MB`).join(', ')}, lost ${r.lost}`,
    met: rss.length > 0 && rss.every(([, u]) => u.peakRssMb <= 100) && r.lost === 0,
  });
  return out;
}

/** Scale: ingest (ingester) and drain (workers) CPU per event stay flat from the fewest streams to the most. */
function scaleChecks(runs: BenchResult[]): TargetCheck[] {
  const sorted = byVariant(runs, 'baton').sort((a, b) => a.streams - b.streams);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || first === last) return [];
  return (['ingester', 'workers'] as const).map((role) => {
    const growth = ratio(last.cost.cpuMsPerEvent[role], first.cost.cpuMsPerEvent[role]);
    return {
      scenario: 'scale',
      target: `${role} CPU per event flat as streams grow (${first.streams} → ${last.streams}: ≤ 1.25×)`,
      measured: `${sorted.map((r) => `${r.streams}: ${r.cost.cpuMsPerEvent[role] ?? '-'} ms`).join(', ')} (${growth ?? '-'}×)`,
      met: growth === null ? null : growth <= 1.25,
    };
  });
}
