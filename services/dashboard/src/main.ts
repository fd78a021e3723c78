import { createLogger, loadConfigOrExit, runService } from '@baton/shared';
import { loadConfig } from './config.ts';
import { createDashboard } from './create-dashboard.ts';

// Process entry: config → dashboard; SIGINT/SIGTERM/SIGHUP (or the death of its `baton dev`) closes it and exits,
// within SHUTDOWN_TIMEOUT_MS whatever happens (a Redis that is gone included).
const config = loadConfigOrExit(() => loadConfig(), { service: 'dashboard' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'dashboard' });

await runService(
  async () => {
    const dashboard = createDashboard(config, { logger });
    await dashboard.start();
    return dashboard;
  },
  { name: 'dashboard', logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS },
);
