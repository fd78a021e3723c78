export { createAccessGuard, SESSION_COOKIE } from './access/create-access-guard.ts';
export { isLoopbackHost } from './access/is-loopback-host.ts';
export {
  basicAuthOf,
  type DashboardConfig,
  dashboardConfigSchema,
  dashboardEnvSchema,
  loadConfig,
} from './config.ts';
export { createDashboard, type Dashboard, type DashboardDeps } from './create-dashboard.ts';
export { DashboardError, InsecureBindError } from './errors.ts';
export {
  createStatusReader,
  type StatusReaderOptions,
  type StatusSources,
} from './status/create-status-reader.ts';
export type { DashboardStatus, IngesterStatus, LiveWorker } from './status/dashboard-status.ts';
export { ReadTimeoutError } from './status/read-timeout-error.ts';
