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
    cost: {
      cpuMsPerEvent: {},
      redisCommandsPerEvent: null,
      redisScriptsPerEvent: null,
      redisTopCommandsPerEvent: null,
    },
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

  it("ceiling: the ingest ratio to redis-benchmark SET and the workers' completions", () => {
    const ceiling = result({
      scenario: 'ceiling',
      variant: 'baton-w2',
      extra: { ingestEventsPerSecond: 9_000, ingestToRedisSetRatio: 0.2, completeEventsPerSecond: 2_100 },
    });
    expect(checkTargets({ ceiling: [ceiling] }).map((c) => c.met)).toEqual([false, true]);
  });

  it('steady: ratios to inline-batch of the same run, Redis commands per event, RSS per service', () => {
    const usage = (rss: number) => ({
      processes: 1,
      cpuSeconds: 1,
      cpuCores: 0.1,
      peakRssMb: rss,
      runQueueWaitSeconds: 0,
    });
    const cost = (cpu: number, cmds: number | null) => ({
      cpuMsPerEvent: { total: cpu },
      redisCommandsPerEvent: cmds,
      redisScriptsPerEvent: cmds,
      redisTopCommandsPerEvent: null,
    });
    const baseline = result({
      scenario: 'steady',
      variant: 'inline-batch',
      latencyMs: { p50: 10, p95: 20, p99: 40, max: 60 },
      cost: cost(1, null),
    });
    const baton = result({
      scenario: 'steady',
      variant: 'baton-w2',
      latencyMs: { p50: 12, p95: 20, p99: 48, max: 60 },
      usage: { ingester: usage(90), workers: usage(100) },
      cost: cost(1.5, 6),
    });
    expect(checkTargets({ steady: [baton, baseline] }).map((c) => c.met)).toEqual([true, true, true, true]);
    const worse = result({
      ...baton,
      latencyMs: { p50: 12, p95: 20, p99: 49, max: 60 },
      usage: { ingester: usage(101), workers: usage(100) },
      cost: cost(1.6, 6.5),
    });
    expect(checkTargets({ steady: [worse, baseline] }).map((c) => c.met)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    // Without a baseline in the same run, no ratio is claimed either way.
    expect(
      checkTargets({ steady: [baton] })
        .slice(0, 2)
        .map((c) => c.met),
    ).toEqual([null, null]);
  });

  it('scale: CPU per event of the most streams within 1.25x of the fewest', () => {
    const run = (streams: number, ingester: number, workers: number) =>
      result({
        scenario: 'scale',
        variant: 'baton-w2',
        streams,
        cost: {
          cpuMsPerEvent: { ingester, workers, total: ingester + workers },
          redisCommandsPerEvent: null,
          redisScriptsPerEvent: null,
          redisTopCommandsPerEvent: null,
        },
      });
    const checks = checkTargets({ scale: [run(10_000, 0.3, 2.6), run(100, 0.25, 2)] });
    expect(checks.map((c) => [c.target.split(' ')[0], c.met])).toEqual([
      ['ingester', true],
      ['workers', false],
    ]);
  });

  it('hostile-host: a Baton run beside the hog must lose nothing', () => {
    const r = result({ scenario: 'hostile-host', variant: 'baton-w2', lost: 3 });
    expect(
      checkTargets({ 'hostile-host': [r, { ...r, variant: 'inline-batch' }] }).map((c) => c.met),
    ).toEqual([false]);
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
