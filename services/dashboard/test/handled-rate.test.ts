import { describe, expect, it } from 'vitest';
import type { LiveWorker } from '../src/status/dashboard-status.ts';
import { createHandledRate } from '../src/status/handled-rate.ts';
import { liveWorker } from './support/live-worker.ts';

const w = (id: string, handled: number | undefined, beatAt: number): LiveWorker =>
  liveWorker({ id, beatAt, stats: handled === undefined ? {} : { handled } });

describe('createHandledRate', () => {
  it('is unknown until a worker has beaten twice, then sums per-worker rates over its beat times', () => {
    const r = createHandledRate({ windowMs: 30_000 });
    expect(r.observe([w('a', 10, 1_000), w('b', 0, 1_000)])).toEqual({
      perSecond: null,
      total: 10,
      windowMs: 30_000,
    });
    // Same beat seen again (dashboard refreshed faster than the heartbeat): no new sample.
    expect(r.observe([w('a', 10, 1_000), w('b', 0, 1_000)]).perSecond).toBeNull();
    expect(r.observe([w('a', 60, 6_000), w('b', 25, 6_000)]).perSecond).toBe(15); // 10/s + 5/s
  });

  it('forgets samples older than the window', () => {
    const r = createHandledRate({ windowMs: 10_000 });
    r.observe([w('a', 0, 0)]);
    r.observe([w('a', 1_000, 10_000)]); // 100/s over the first 10 s
    r.observe([w('a', 1_000, 20_000)]); // then idle for 10 s
    expect(r.observe([w('a', 1_000, 25_000)]).perSecond).toBe(0);
  });

  it('restarts a worker whose counter went down (restarted under the same id) and ignores workers without it', () => {
    const r = createHandledRate({ windowMs: 30_000 });
    r.observe([w('a', 500, 0), w('x', undefined, 0)]);
    expect(r.observe([w('a', 20, 5_000)]).perSecond).toBeNull();
    expect(r.observe([w('a', 70, 10_000)]).perSecond).toBe(10);
  });
});
