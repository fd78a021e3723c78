import type { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { type DashboardConfig, loadConfig } from '../../src/config.ts';
import { createDashboard, type DashboardDeps } from '../../src/create-dashboard.ts';

export const silentLogger = pino({ level: 'silent' });

/** A dashboard started by `startDashboard`. */
export interface TestDashboard {
  url: string;
  stop: () => Promise<void>;
  config: DashboardConfig;
}

/** A dashboard on a free loopback port over the given Redis; returns its URL and a stop function. */
export async function startDashboard(
  redis: Redis | Cluster,
  env: Record<string, string>,
  deps: Partial<DashboardDeps> = {},
): Promise<TestDashboard> {
  const config = loadConfig({ DASHBOARD_PORT: '0', ...env });
  const dashboard = createDashboard(config, { logger: silentLogger, redis, ...deps });
  const { url } = await dashboard.start();
  return { url, stop: () => dashboard.stop(), config };
}
