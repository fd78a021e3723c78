import { describe, expect, it } from 'vitest';
import { createIngesterMetrics } from '../src/ingester-metrics.ts';

const backlog = async () => ({ pending: 0, streams: 0, oldestAgeMs: null });

describe('createIngesterMetrics', () => {
  it('carries the Node process and event-loop metrics when asked (as the service does)', async () => {
    const m = createIngesterMetrics({ backlog, lastReadAgeMs: () => null, processMetrics: true });
    m.registry.setDefaultLabels({ service: 'ingester', instance: 'ingester-1' });
    const text = await m.registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="ingester",instance="ingester-1"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{service="ingester",instance="ingester-1"\} /m);
    expect(text).toContain('baton_ingester_leader{service="ingester",instance="ingester-1"} 0');
  });

  it('leaves them out by default (tests build many short-lived registries)', async () => {
    const m = createIngesterMetrics({ backlog, lastReadAgeMs: () => null });
    const text = await m.registry.metrics();
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(text).toContain('baton_ingester_leader 0');
  });
});
