import { createLogger, loadConfigOrExit } from '@baton/shared';
import { loadConfig } from './config.ts';
import { createDashboard } from './create-dashboard.ts';

const config = loadConfigOrExit(() => loadConfig(), { service: 'dashboard' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'dashboard' });
const dashboard = createDashboard(config, { logger });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await dashboard.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await dashboard.start();
} catch (err) {
  logger.fatal({ err }, 'dashboard failed to start');
  process.exit(1);
}
