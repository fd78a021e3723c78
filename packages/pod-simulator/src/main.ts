import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigOrExit, parseEnv, runService } from '@baton/shared';
import { simConfigSchema } from './config.ts';
import { createConsoleLogger } from './console-logger.ts';
import { createSimulator } from './create-simulator.ts';
import { loadSeedFile } from './seed/load-seed-file.ts';

// parseEnv (rather than the schema's bare parse) reports bad variables as a ConfigError, honours <NAME>_FILE and
// treats empty values as unset, like every other Baton process.
const config = loadConfigOrExit(() => parseEnv(simConfigSchema, process.env, { service: 'pod-simulator' }), {
  service: 'pod-simulator',
});
const logger = createConsoleLogger(config.SIM_LOG_LEVEL);
const fromCwd = (p: string): string => resolve(config.INIT_CWD ?? process.cwd(), p);
const seeded = config.SIM_SEED ? loadSeedFile(fromCwd(config.SIM_SEED)) : undefined;

/** How long the simulator may take to close on SIGTERM / SIGINT / SIGHUP before it exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

await runService(
  async () => {
    const sim = await createSimulator({
      port: config.SIM_PORT,
      host: config.SIM_HOST,
      ...(config.SIM_HTTPS === 'self-signed' ? { https: 'self-signed' as const } : {}),
      ...(config.SIM_LONG_POLL_MS !== undefined ? { longPollMs: config.SIM_LONG_POLL_MS } : {}),
      ...(config.SIM_REDELIVERY_MS !== undefined ? { redeliveryMs: config.SIM_REDELIVERY_MS } : {}),
      ...(config.SIM_FEED_TTL_MS !== undefined ? { feedTtlMs: config.SIM_FEED_TTL_MS } : {}),
      ...(config.SIM_AGENTS !== undefined ? { agents: config.SIM_AGENTS } : {}),
      ...(config.SIM_AGENT_PORTS ? { agentPorts: [...config.SIM_AGENT_PORTS] } : {}),
      ...(seeded ? { seed: seeded.seed, seedDir: seeded.seedDir } : {}),
      logger,
    });
    if (sim.caCertPem && config.SIM_CA_OUT) writeFileSync(fromCwd(config.SIM_CA_OUT), sim.caCertPem);
    logger.info(
      {
        url: sim.url,
        ...(sim.agents.length > 0 ? { agents: sim.agents.map((a) => a.url) } : {}),
        users: sim.control.listUsers().length,
        streams: sim.control.listStreams().length,
      },
      'pod simulator ready (chat page at /, control API at /_sim)',
    );
    return { stop: () => sim.close() };
  },
  { name: 'pod simulator', logger, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS },
);
