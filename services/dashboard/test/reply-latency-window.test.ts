import { describe, expect, it } from 'vitest';
import { bucketQuantile } from '../src/status/bucket-quantile.ts';
import type { LiveWorker } from '../src/status/dashboard-status.ts';
import { createReplyLatencyWindow } from '../src/status/reply-latency-window.ts';
import { liveWorker } from './support/live-worker.ts';

const BOUNDS = [10, 100, 1000];

const w = (id: string, beatAt: number, counts: number[] | null, boundsMs = BOUNDS): LiveWorker =>
  liveWorker({ id, beatAt, latency: counts === null ? null : { boundsMs, counts } });

describe('bucketQuantile', () => {
  it('interpolates inside the bucket, from 0 for the first', () => {
    expect(bucketQuantile(BOUNDS, [10, 0, 0, 0], 0.5)).toBe(5);
    expect(bucketQuantile(BOUNDS, [0, 4, 0, 0], 0.5)).toBe(55);
    expect(bucketQuantile(BOUNDS, [50, 49, 1, 0], 0.99)).toBe(100);
    expect(bucketQuantile(BOUNDS, [50, 49, 1, 0], 0.995)).toBe(550);
  });

  it('reports the last bound for the overflow bucket, and null without values', () => {
    expect(bucketQuantile(BOUNDS, [0, 0, 0, 3], 0.5)).toBe(1000);
    expect(bucketQuantile(BOUNDS, [0, 0, 0, 0], 0.5)).toBeNull();
  });
});

describe('createReplyLatencyWindow', () => {
  it('needs two beats, then takes the quantiles of the difference summed over workers', () => {
    const win = createReplyLatencyWindow({ windowMs: 30_000 });
    expect(win.observe([w('a', 1000, [100, 0, 0, 0]), w('b', 1000, [0, 0, 0, 0])])).toEqual({
      p50Ms: null,
      p99Ms: null,
      count: 0,
      windowMs: 30_000,
    });
    // a: +10 in (10,100]; b: +10 in (100,1000]. The 100 old events of a are before the window: not counted.
    const r = win.observe([w('a', 6000, [100, 10, 0, 0]), w('b', 6000, [0, 0, 10, 0])]);
    expect(r.count).toBe(20);
    expect(r.p50Ms).toBe(100);
    expect(r.p99Ms).toBe(982); // rank 19.8: 100 + 900 · 9.8/10
  });

  it('slides: beats older than the window drop out', () => {
    const win = createReplyLatencyWindow({ windowMs: 10_000 });
    win.observe([w('a', 0, [0, 0, 0, 0])]);
    win.observe([w('a', 5_000, [0, 0, 10, 0])]);
    win.observe([w('a', 10_000, [0, 0, 10, 0])]);
    // The beat at 0 is now out of the window: only the last 10 s (no new events) remain.
    expect(win.observe([w('a', 20_000, [0, 0, 10, 0])]).count).toBe(0);
  });

  it('restarts a worker whose counters went down (restart) and ignores workers without buckets', () => {
    const win = createReplyLatencyWindow({ windowMs: 30_000 });
    win.observe([w('a', 0, [0, 50, 0, 0]), w('x', 0, null)]);
    expect(win.observe([w('a', 1000, [0, 1, 0, 0]), w('x', 1000, null)]).count).toBe(0);
    expect(win.observe([w('a', 2000, [2, 1, 0, 0])]).count).toBe(2);
  });

  it('leaves out a worker with other bounds than the first one', () => {
    const win = createReplyLatencyWindow({ windowMs: 30_000 });
    win.observe([w('a', 0, [0, 0, 0, 0]), w('b', 0, [0, 0, 0], [5, 50])]);
    const r = win.observe([w('a', 1000, [0, 4, 0, 0]), w('b', 1000, [9, 0, 0], [5, 50])]);
    expect(r.count).toBe(4);
    expect(r.p50Ms).toBe(55);
  });
});
