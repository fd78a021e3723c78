import { describe, expect, it } from 'vitest';
import type { DashboardStatus } from '../src/status/dashboard-status.ts';
import { createStatusHistory } from '../src/status/status-history.ts';

const status = (at: number, pending: number | null, top: [string, number][] = []): DashboardStatus => ({
  v: 1,
  prefix: 'p',
  generatedAt: at,
  backlog: pending === null ? null : { pending, streams: top.length, oldestAgeMs: null },
  topStreams: top.map(([streamId, n]) => ({ streamId, pending: n, oldestAgeMs: 0 })),
  dlq: null,
  queues: null,
  handled: { perSecond: 2, total: 10, windowMs: 30_000 },
  latency: { p50Ms: 12, p99Ms: 80, count: 5, windowMs: 30_000 },
  ingester: null,
  workers: null,
  errors: {},
});

describe('createStatusHistory', () => {
  it('keeps the samples of the window, oldest first, in a ring of window/sample + 1', () => {
    let now = 0;
    const h = createStatusHistory({ windowMs: 10_000, sampleMs: 1_000, clock: () => now });
    for (let t = 0; t <= 30_000; t += 1_000) {
      now = t;
      h.add(status(t, t / 1000));
    }
    expect(h.size).toBe(11);
    const doc = h.document();
    expect(doc).toMatchObject({ v: 1, sampleMs: 1_000, windowMs: 10_000, since: 0 });
    expect(doc.samples.map((s) => s.at)).toEqual(Array.from({ length: 11 }, (_, i) => 20_000 + i * 1000));
    expect(doc.samples.at(-1)).toMatchObject({ pending: 30, handledPerSecond: 2, p50Ms: 12, p99Ms: 80 });
    // Samples age out of the window even when no new one comes.
    now = 35_500;
    expect(h.document().samples.map((s) => s.at)[0]).toBe(26_000);
  });

  it('records unread sections as null, and whether the per-stream list was complete', () => {
    const h = createStatusHistory({ windowMs: 60_000, sampleMs: 1_000, clock: () => 0 });
    const complete = h.add(
      status(0, 3, [
        ['a', 2],
        ['b', 1],
      ]),
    );
    expect(complete).toMatchObject({ streams: { a: 2, b: 1 }, streamsComplete: true, oldestAgeMs: 0 });
    const partial = h.add({
      ...status(0, 30, [['a', 20]]),
      backlog: { pending: 30, streams: 5, oldestAgeMs: 9 },
    });
    expect(partial.streamsComplete).toBe(false);
    expect(h.add(status(0, null)).pending).toBeNull();
  });
});
