import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../src/bench-result.ts';
import { checkTargets } from '../src/report/check-targets.ts';
import { formatTable, resultsTable } from '../src/report/format-table.ts';

function result(over: Partial<BenchResult>): BenchResult {
  return {
    scenario: 'burst',
    variant: 'baton-w1',
    feedVersion: 'v1',
    events: 100,
    streams: 10,
    handlerMs: 200,
    lost: 0,
    duplicates: 0,
    orderViolations: 0,
    feedHighWater: 10,
    feedExpired: 0,
    feedRedelivered: 0,
    ingestSeconds: 1,
    drainSeconds: 40,
    injectSeconds: 1,
    capSeconds: 120,
    latencyMs: { p50: 1, p95: 2, p99: 3, max: 4 },
    eventsPerSecond: 10,
    usage: {},
    extra: {},
    loadAverage1m: { start: 0, end: 0 },
    notes: [],
    ...over,
  };
}

describe('checkTargets', () => {
  it('burst: every Baton run must lose nothing and keep the feed under 50; drain time must scale', () => {
    const checks = checkTargets({
      burst: [
        result({ variant: 'baton-w1', drainSeconds: 40 }),
        result({ variant: 'baton-w4', drainSeconds: 12, feedHighWater: 60 }),
        result({ variant: 'inline', lost: 900, feedHighWater: 250 }),
      ],
    });
    expect(checks.map((c) => [c.target.split(':')[0], c.met])).toEqual([
      ['baton-w1 v1', true],
      ['baton-w4 v1', false],
      ['v1', true],
    ]);
    const slow = checkTargets({
      burst: [
        result({ variant: 'baton-w1', drainSeconds: 40 }),
        result({ variant: 'baton-w4', drainSeconds: 30 }),
      ],
    });
    expect(slow.at(-1)?.met).toBe(false);
  });

  it('isolation: compares p99 of the normal streams with and without the slow stream', () => {
    const base = result({
      scenario: 'isolation',
      variant: 'baton-w2',
      latencyMs: { p50: 5, p95: 9, p99: 100, max: 1 },
    });
    const ok = result({
      scenario: 'isolation',
      variant: 'baton-w2+slow',
      latencyMs: { p50: 5, p95: 9, p99: 119, max: 1 },
    });
    const bad = { ...ok, latencyMs: { ...ok.latencyMs, p99: 121 } };
    expect(checkTargets({ isolation: [base, ok] })[0]?.met).toBe(true);
    expect(checkTargets({ isolation: [base, bad] })[0]?.met).toBe(false);
  });

  it('ceiling and steady', () => {
    const ceiling = result({
      scenario: 'ceiling',
      variant: 'baton-w2',
      extra: { ingestEventsPerSecond: 9_000 },
    });
    expect(checkTargets({ ceiling: [ceiling] })[0]?.met).toBe(false);
    const steady = result({
      scenario: 'steady',
      variant: 'baton-w2',
      latencyMs: { p50: 10, p95: 20, p99: 40, max: 60 },
      usage: {
        ingester: { processes: 1, cpuSeconds: 1, cpuCores: 0.1, peakRssMb: 120, runQueueWaitSeconds: 0 },
      },
    });
    expect(checkTargets({ steady: [steady] })[0]?.met).toBe(true);
    const fat = {
      ...steady,
      usage: { ingester: { ...steady.usage.ingester, peakRssMb: 151 } },
    } as BenchResult;
    expect(checkTargets({ steady: [fat] })[0]?.met).toBe(false);
  });
});

describe('tables', () => {
  it('pads columns and shows a capped drain as >cap', () => {
    expect(formatTable(['a', 'bb'], [[1, null]])).toBe('| a | bb |\n| - | -- |\n| 1 | -  |');
    const t = resultsTable([result({ drainSeconds: null })]);
    expect(t).toContain('>120');
    expect(t.split('\n')).toHaveLength(3);
  });
});
