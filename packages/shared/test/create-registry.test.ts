import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../src/metrics/index.ts';

describe('createRegistry', () => {
  it('labels every series with the service, and with the replica when an instance is given', async () => {
    const registry = createRegistry('worker', { instance: 'worker-7', processMetrics: false });
    new Counter({ name: 'baton_test_labelled_total', help: 'x', registers: [registry] }).inc();
    expect(await registry.metrics()).toContain(
      'baton_test_labelled_total{service="worker",instance="worker-7"} 1',
    );
    const bare = createRegistry('dashboard', { processMetrics: false });
    new Counter({ name: 'baton_test_labelled_total', help: 'x', registers: [bare] }).inc();
    expect(await bare.metrics()).toContain('baton_test_labelled_total{service="dashboard"} 1');
  });
});
