import type { BenchResult } from '../bench-result.ts';

const cell = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));

/** A plain-text table (columns padded), also valid Markdown. */
export function formatTable(headers: string[], rows: unknown[][]): string {
  const text = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

const usageOf = (r: BenchResult, role: string) => {
  const u = r.usage[role];
  return u ? `${u.cpuCores} / ${u.peakRssMb}` : '-';
};

/** Seconds every process of the run waited for a CPU while runnable (other load on the machine). */
const cpuWait = (r: BenchResult): number | null => {
  const waits = Object.values(r.usage).map((u) => u.runQueueWaitSeconds);
  if (waits.some((w) => w === undefined)) return null;
  return Math.round(waits.reduce((a, b) => a + b, 0) * 10) / 10;
};

/** The standard table of a scenario's results. */
export function resultsTable(results: BenchResult[]): string {
  const headers = [
    'variant',
    'feed',
    'events',
    'lost',
    'dup',
    'order',
    'feed HW',
    'expired',
    'ingest s',
    'drain s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'ev/s',
    'ingester cores/MB',
    'bot cores/MB',
    'CPU wait s',
    'CPU ms/ev',
    'redis cmd/ev',
  ];
  const rows = results.map((r) => [
    r.variant,
    r.feedVersion,
    r.events,
    r.lost,
    r.duplicates,
    r.orderViolations,
    r.feedHighWater,
    r.feedExpired,
    r.ingestSeconds,
    r.drainSeconds ?? `>${r.capSeconds}`,
    r.latencyMs.p50,
    r.latencyMs.p95,
    r.latencyMs.p99,
    r.eventsPerSecond,
    usageOf(r, 'ingester'),
    r.usage.workers ? usageOf(r, 'workers') : usageOf(r, 'baseline'),
    cpuWait(r),
    r.cost.cpuMsPerEvent.total,
    r.cost.redisCommandsPerEvent,
  ]);
  return formatTable(headers, rows);
}
