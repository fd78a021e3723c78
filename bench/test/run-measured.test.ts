import { describe, expect, it } from 'vitest';
import { inject } from '../src/harness/injector.ts';
import { runMeasured } from '../src/harness/run-measured.ts';
import type { Variant } from '../src/harness/variant.ts';
import { runCeiling } from '../src/scenarios/ceiling.ts';
import { runHostileHost } from '../src/scenarios/hostile-host.ts';
import { runScale } from '../src/scenarios/scale.ts';

// End to end through the real processes: simulator in this process, the variant spawned (Baton: a fresh
// redis-server, the ingester and a bench worker; baseline: the inline loop process).
async function tinyBurst(variant: Variant) {
  return runMeasured({
    scenario: 'test',
    variant,
    feedVersion: 'v2',
    streams: 3,
    handlerMs: 20,
    capSeconds: 40,
    load: (pod, tracker) =>
      inject(pod, tracker, { streams: 3, total: 12, ratePerSec: 'max', handlerMs: () => 20 }),
  });
}

describe('runMeasured', () => {
  it('Baton (1 worker): every command answered once, in order, with ingest and drain times', async () => {
    const r = await tinyBurst({ kind: 'baton', workers: 1, concurrency: 4 });
    expect(r).toMatchObject({ variant: 'baton-w1', events: 12, lost: 0, duplicates: 0, orderViolations: 0 });
    expect(r.ingestSeconds).not.toBeNull();
    expect(r.drainSeconds).not.toBeNull();
    expect(r.drainSeconds ?? 0).toBeGreaterThanOrEqual(r.ingestSeconds ?? 0);
    expect(r.latencyMs.p50).toBeGreaterThanOrEqual(20); // at least the handler's own wait
    expect(Object.keys(r.usage).sort()).toEqual(['ingester', 'simulator+driver', 'workers']);
    expect(r.usage.workers?.peakRssMb).toBeGreaterThan(0);
    // Cost per event: CPU of the stack's roles, and the Redis commands of the whole pipeline (INFO commandstats).
    expect(r.cost.cpuMsPerEvent.total).toBeGreaterThan(0);
    expect(r.cost.cpuMsPerEvent.total).toBeCloseTo(
      (r.cost.cpuMsPerEvent.ingester ?? 0) + (r.cost.cpuMsPerEvent.workers ?? 0),
      2,
    );
    expect(r.cost.redisCommandsPerEvent).toBeGreaterThan(1);
    expect(r.cost.redisTopCommandsPerEvent).not.toHaveProperty('hvals');
    expect(r.notes).toEqual([]);
  }, 90_000);

  it('inline-batch baseline: answered through its own datafeed loop, no ingest time', async () => {
    const r = await tinyBurst({ kind: 'inline-batch' });
    expect(r).toMatchObject({ variant: 'inline-batch', events: 12, lost: 0, duplicates: 0 });
    expect(r.ingestSeconds).toBeNull();
    expect(r.feedHighWater).toBeGreaterThan(0);
    expect(Object.keys(r.usage).sort()).toEqual(['baseline', 'simulator+driver']);
    expect(r.cost.redisCommandsPerEvent).toBeNull();
    expect(r.cost.cpuMsPerEvent.total).toBe(r.cost.cpuMsPerEvent.baseline);
  }, 90_000);

  it('ceiling: the ingester moves a preloaded feed alone, then the workers drain; redis-benchmark beside it', async () => {
    const [r] = await runCeiling({
      events: 300,
      streams: 10,
      capSeconds: 40,
      variants: [{ kind: 'baton', workers: 1, concurrency: 4 }],
      redisBenchmarkRequests: 2_000,
    });
    expect(r).toMatchObject({ scenario: 'ceiling', events: 300, lost: 0, duplicates: 0, orderViolations: 0 });
    expect(r?.feedHighWater).toBe(300); // everything was queued before anything read
    expect(r?.extra.neverEnqueued).toBe(0);
    expect(r?.notes.join()).toMatch(/workers started after the ingest/);
    const bench = r?.extra.redisBenchmark as { clients50: Record<string, number> };
    expect(bench.clients50.set).toBeGreaterThan(0);
    expect(r?.extra.ingestToRedisSetRatio).toBeGreaterThan(0);
  }, 90_000);

  it('scale: the same events over more streams, ingest and drain cost per event side by side', async () => {
    const runs = await runScale({
      events: 60,
      streamCounts: [3, 30],
      capSeconds: 40,
      variants: [{ kind: 'baton', workers: 1, concurrency: 4 }],
    });
    expect(runs.map((r) => [r.streams, r.events, r.lost, r.duplicates, r.orderViolations])).toEqual([
      [3, 60, 0, 0, 0],
      [30, 60, 0, 0, 0],
    ]);
    for (const r of runs) {
      expect(r.cost.cpuMsPerEvent.ingester).toBeGreaterThan(0);
      expect(r.cost.cpuMsPerEvent.workers).toBeGreaterThan(0);
    }
  }, 120_000);

  it('hostile-host: busy loops run beside the stack during the run and are gone after it', async () => {
    const [r] = await runHostileHost({
      events: 12,
      streams: 3,
      handlerMs: 10,
      hogProcesses: 1,
      capSeconds: 40,
      feedVersions: ['v2'],
      variants: [{ kind: 'inline-batch' }],
    });
    expect(r).toMatchObject({ scenario: 'hostile-host', events: 12, lost: 0 });
    expect(r?.notes).toContain('1 busy-loop processes ran beside the stack');
    // The leak check of the run (packages/testing) fails the suite if a hog outlived it.
  }, 90_000);
});
