import { createLogger, loadConfigOrExit, runService, withTracing } from '@baton/shared';
import { loadConfig } from './config.ts';
import { createIngester } from './create-ingester.ts';

// Process entry: config → ingester; SIGINT/SIGTERM/SIGHUP (or the death of its `baton dev`) aborts the long poll,
// finishes the batch in hand, releases the lease and exits, within SHUTDOWN_TIMEOUT_MS whatever happens.
const config = loadConfigOrExit(() => loadConfig(), { service: 'ingester' });
const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'ingester' });

// OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is loaded.
const tracing = { env: config, serviceName: 'baton-ingester', instanceId: config.INSTANCE_ID, logger };

await runService(
  withTracing(tracing, async () => {
    const ingester = createIngester(config, { logger });
    await ingester.start();
    // The batch in hand gets all but the last second; the rest is for closing the connections.
    return { stop: () => ingester.stop(config.SHUTDOWN_TIMEOUT_MS - 1_000) };
  }),
  { name: 'ingester', logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS },
);
