import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from '../src/harness/percentiles.ts';

describe('percentile (nearest rank)', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('gives the value at rank ceil(p/100 * n)', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
  });

  it('handles the edges', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarizes unsorted samples and rounds to 0.1 ms', () => {
    const s = summarizeLatency([5.04, 1, 3, 2, 4]);
    expect(s).toEqual({ p50: 3, p95: 5, p99: 5, max: 5, count: 5 });
    expect(summarizeLatency([])).toEqual({ p50: null, p95: null, p99: null, max: null, count: 0 });
  });
});
