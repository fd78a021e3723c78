import { describe, expect, it } from 'vitest';
import { inject } from '../src/harness/injector.ts';
import { runMeasured } from '../src/harness/run-measured.ts';
import type { Variant } from '../src/harness/variant.ts';
import { runCeiling } from '../src/scenarios/ceiling.ts';

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
    expect(r.notes).toEqual([]);
  }, 90_000);

  it('inline-batch baseline: answered through its own datafeed loop, no ingest time', async () => {
    const r = await tinyBurst({ kind: 'inline-batch' });
    expect(r).toMatchObject({ variant: 'inline-batch', events: 12, lost: 0, duplicates: 0 });
    expect(r.ingestSeconds).toBeNull();
    expect(r.feedHighWater).toBeGreaterThan(0);
    expect(Object.keys(r.usage).sort()).toEqual(['baseline', 'simulator+driver']);
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
});
