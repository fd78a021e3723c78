export { createAccessGuard, SESSION_COOKIE } from './access/create-access-guard.ts';
export { CSRF_HEADER, createCsrfGuard } from './access/create-csrf-guard.ts';
export { isLoopbackHost } from './access/is-loopback-host.ts';
export {
  basicAuthOf,
  type DashboardConfig,
  dashboardConfigSchema,
  dashboardEnvSchema,
  loadConfig,
} from './config.ts';
export { createDashboard, type Dashboard, type DashboardDeps } from './create-dashboard.ts';
export type { DeadLetterList, DeadLetterView } from './dlq/dead-letter-view.ts';
export { DashboardError, InsecureBindError } from './errors.ts';
export { createDashboardMetrics, type DashboardMetrics } from './metrics/dashboard-metrics.ts';
export {
  createStatusReader,
  type StatusReaderOptions,
  type StatusSources,
} from './status/create-status-reader.ts';
export type {
  DashboardStatus,
  IngesterStatus,
  LiveWorker,
  ReplyLatencyStatus,
} from './status/dashboard-status.ts';
export { ReadTimeoutError } from './status/read-timeout-error.ts';
export type { HistorySample, StatusHistoryDocument } from './status/status-history.ts';
