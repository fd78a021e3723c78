import { Counter, Gauge, type Registry } from 'prom-client';
import type { DashboardStatus } from '../status/dashboard-status.ts';

/** The dashboard's Prometheus metrics (served at its `/metrics`), registered on the given registry. */
export interface DashboardMetrics {
  readErrors: Counter<'section'>;
  dlqActions: Counter<'action' | 'outcome'>;
  dlqSize: Gauge<never>;
  workersLive: Gauge<never>;
  replyLatency: Gauge<'quantile'>;
  historySamples: Gauge<never>;
  /** Sets the gauges from one status read (the dashboard does so at every history sample). */
  observe(status: DashboardStatus, historySamples: number): void;
}

export function createDashboardMetrics(registry: Registry): DashboardMetrics {
  const registers = [registry];
  const readErrors = new Counter({
    name: 'baton_dashboard_read_errors_total',
    help: 'Status sections that could not be read (Redis unreachable, timeout), by section',
    labelNames: ['section'],
    registers,
  });
  const dlqActions = new Counter({
    name: 'baton_dashboard_dlq_actions_total',
    help: 'Dead-letter replays and drops asked for on the dashboard, by action and outcome',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const dlqSize = new Gauge({
    name: 'baton_dashboard_dlq_size',
    help: 'Dead letters not completed (waiting, delayed, prioritized, active, failed), at the last sample',
    registers,
  });
  const workersLive = new Gauge({
    name: 'baton_dashboard_workers_live',
    help: 'Workers with a live heartbeat key, at the last sample',
    registers,
  });
  const replyLatency = new Gauge({
    name: 'baton_dashboard_reply_latency_seconds',
    help: 'Reply latency across live workers over the last 30 s (ingester receipt to handler success), by quantile',
    labelNames: ['quantile'],
    registers,
  });
  const historySamples = new Gauge({
    name: 'baton_dashboard_history_samples',
    help: 'Samples held in the dashboard history (the charts of the last 15 minutes)',
    registers,
  });
  const setOrRemove = (quantile: string, ms: number | null | undefined) => {
    if (ms === null || ms === undefined) replyLatency.remove({ quantile });
    else replyLatency.set({ quantile }, ms / 1000);
  };
  return {
    readErrors,
    dlqActions,
    dlqSize,
    workersLive,
    replyLatency,
    historySamples,
    observe(status, samples) {
      // A section that could not be read keeps its previous value (its error is counted in readErrors).
      if (status.dlq) dlqSize.set(status.dlq.size);
      if (status.workers) workersLive.set(status.workers.live);
      if (status.latency) {
        setOrRemove('0.5', status.latency.p50Ms);
        setOrRemove('0.99', status.latency.p99Ms);
      }
      historySamples.set(samples);
    },
  };
}
