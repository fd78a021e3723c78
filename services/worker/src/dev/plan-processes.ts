import { join } from 'node:path';
import { serviceNodeOptions } from '@baton/shared';
import type { ProcessSpec } from './process-supervisor.ts';
import { redisServerArgs } from './redis-server.ts';
import type { NodeCommand, StackCommands } from './resolve-stack-commands.ts';
import type { StartConfig } from './start-config.ts';

type Env = Record<string, string | undefined>;

/** Where everything of one run listens. */
export interface StackPorts {
  redis: number | undefined;
  sim: number | undefined;
  marketData: number | undefined;
  /** Undefined when the project has no @baton/dashboard. */
  dashboard: number | undefined;
  ingesterOps: number;
  workerOps: readonly number[];
  /** Ops ports of the standby ingesters (INGESTERS - 1 of them). */
  standbyOps: readonly number[];
}

export interface StackPaths {
  /** The bot project: every process runs in it. */
  projectDir: string;
  /** The bot's private key (generated, or the configured one for a real pod). */
  privateKeyFile: string | undefined;
  /** The simulator's seed file (simulated pods only). */
  seedFile: string | undefined;
}

/** One process of the plan: how to run it, and when it counts as healthy. */
export interface PlannedProcess {
  spec: ProcessSpec;
  /** `redis` (PING), or an HTTP URL that answers 2xx when healthy. */
  health: { kind: 'redis'; url: string } | { kind: 'http'; url: string };
  /**
   * Start phase: 0 = Redis, 1 = the simulator and market data, 2 = Baton's services, 3 = the standby ingesters
   * (started once the first ingester leads and reads, so that it is the leader). Stopped in the reverse order.
   */
  phase: 0 | 1 | 2 | 3;
}

const SIM_LEVELS: Record<string, string> = { trace: 'debug', fatal: 'error' };

const local = (port: number) => `http://127.0.0.1:${port}`;

/**
 * The processes of the stack and the environment of each: the caller's environment (shell + .env), then what
 * the stack decides (addresses, ports, key file, ids, the bot). Everything binds to 127.0.0.1 and runs in the
 * project folder; `commands` says how to run each Node process (resolved from the project beforehand).
 */
export function planProcesses(
  config: StartConfig,
  ports: StackPorts,
  paths: StackPaths,
  commands: StackCommands,
  run: { botModule: string; baseEnv: Readonly<Env>; stackId: string },
): PlannedProcess[] {
  const { baseEnv, stackId, botModule } = run;
  /** A Node process of the stack: run in the project folder, with an IPC channel, healthy once `health` answers. */
  const nodeProcess = (
    name: string,
    { command, args }: NodeCommand,
    p: { phase: PlannedProcess['phase']; env: Env; health: string; logs?: ProcessSpec['logs'] },
  ): PlannedProcess => ({
    phase: p.phase,
    spec: { name, command, args, env: p.env, cwd: paths.projectDir, logs: p.logs ?? 'pino', ipc: true },
    health: { kind: 'http', url: p.health },
  });
  /** Every process's environment: the caller's, and the id of the stack. */
  const stackEnv: Env = { ...baseEnv, BATON_STACK_ID: stackId };
  const redisUrl = config.REDIS_URL ?? `redis://127.0.0.1:${ports.redis}`;
  const common: Env = {
    ...stackEnv,
    REDIS_URL: redisUrl,
    BATON_PREFIX: config.BATON_PREFIX,
    LOG_LEVEL: config.LOG_LEVEL,
    // Services write JSON lines; the orchestrator pretty-prints them (START_LOG_FORMAT) with its prefixes.
    LOG_PRETTY: 'false',
    OPS_HOST: '127.0.0.1',
    // The services' Node flags (a smaller young generation; docs/operations.md, "Process memory"), the caller's after.
    NODE_OPTIONS: serviceNodeOptions(baseEnv['NODE_OPTIONS']),
  };
  const symphony: Env =
    config.simulated && ports.sim !== undefined
      ? {
          SYMPHONY_POD_URL: local(ports.sim),
          SYMPHONY_AGENT_URL: local(ports.sim),
          SYMPHONY_KEY_MANAGER_URL: local(ports.sim),
          SYMPHONY_LOGIN_URL: local(ports.sim),
          SYMPHONY_BOT_USERNAME: config.SYMPHONY_BOT_USERNAME,
          SYMPHONY_PRIVATE_KEY: undefined,
          SYMPHONY_PRIVATE_KEY_FILE: paths.privateKeyFile,
          SYMPHONY_CA_CERT: undefined,
          SYMPHONY_CA_CERT_FILE: undefined,
          HTTPS_PROXY: undefined,
        }
      : {
          SYMPHONY_BOT_USERNAME: config.SYMPHONY_BOT_USERNAME,
          ...(paths.privateKeyFile ? { SYMPHONY_PRIVATE_KEY_FILE: paths.privateKeyFile } : {}),
        };
  const marketDataUrl =
    config.MARKET_DATA_URL ?? (ports.marketData !== undefined ? local(ports.marketData) : undefined);
  const plan: PlannedProcess[] = [];

  if (ports.redis !== undefined) {
    plan.push({
      phase: 0,
      spec: {
        name: 'redis',
        command: 'redis-server',
        args: redisServerArgs(ports.redis, join(config.home, 'redis'), config.LOG_LEVEL),
        env: stackEnv,
        cwd: config.home,
        logs: 'raw',
      },
      health: { kind: 'redis', url: redisUrl },
    });
  }
  if (ports.sim !== undefined && commands.podSimulator) {
    plan.push(
      nodeProcess('pod-simulator', commands.podSimulator, {
        phase: 1,
        env: {
          ...stackEnv,
          SIM_HOST: '127.0.0.1',
          SIM_PORT: String(ports.sim),
          SIM_SEED: paths.seedFile,
          SIM_HTTPS: 'off',
          SIM_CA_OUT: undefined,
          SIM_LOG_LEVEL:
            config.LOG_LEVEL === 'silent' ? 'silent' : (SIM_LEVELS[config.LOG_LEVEL] ?? config.LOG_LEVEL),
        },
        health: `${local(ports.sim)}/_sim/stats`,
      }),
    );
  }
  if (ports.marketData !== undefined && commands.marketData) {
    plan.push(
      nodeProcess('market-data', commands.marketData, {
        phase: 1,
        env: { ...stackEnv, MARKET_DATA_HOST: '127.0.0.1', MARKET_DATA_PORT: String(ports.marketData) },
        health: `${local(ports.marketData)}/quote/AAPL`,
        logs: 'raw',
      }),
    );
  }
  // Each service finishes its work before the orchestrator's SIGKILL deadline (START_STOP_TIMEOUT_MS).
  const shutdown = Math.max(1_000, config.START_STOP_TIMEOUT_MS - 2_000);
  const serviceShutdown = String(Math.max(2_000, Math.min(5_000, shutdown)));
  const ingester = (name: string, opsPort: number, phase: 2 | 3): PlannedProcess =>
    nodeProcess(name, commands.ingester, {
      phase,
      env: {
        ...common,
        ...symphony,
        OPS_PORT: String(opsPort),
        INSTANCE_ID: name === 'ingester' ? 'ingester-1' : name,
        SHUTDOWN_TIMEOUT_MS: serviceShutdown,
      },
      // The first: ready = leader with its datafeed open (a message sent from then on reaches the bot). A
      // standby is ready once it has Redis, and takes the lease over when the leader dies.
      health: `${local(opsPort)}/readyz`,
    });
  plan.push(ingester('ingester', ports.ingesterOps, 2));
  ports.standbyOps.forEach((opsPort, i) => {
    plan.push(ingester(`ingester-${i + 2}`, opsPort, 3));
  });
  ports.workerOps.forEach((opsPort, i) => {
    plan.push(
      nodeProcess(`worker-${i + 1}`, commands.worker, {
        phase: 2,
        env: {
          ...common,
          ...symphony,
          OPS_PORT: String(opsPort),
          WORKER_ID: `worker-${i + 1}`,
          BOT_MODULE: botModule,
          ...(marketDataUrl ? { MARKET_DATA_URL: marketDataUrl } : {}),
          // Finish the events in hand before the orchestrator's SIGKILL deadline.
          SHUTDOWN_TIMEOUT_MS: baseEnv['SHUTDOWN_TIMEOUT_MS'] ?? String(shutdown),
        },
        health: `${local(opsPort)}/readyz`,
      }),
    );
  });
  if (ports.dashboard !== undefined && commands.dashboard) {
    plan.push(
      nodeProcess('dashboard', commands.dashboard, {
        phase: 2,
        env: {
          ...common,
          DASHBOARD_HOST: '127.0.0.1',
          DASHBOARD_PORT: String(ports.dashboard),
          SHUTDOWN_TIMEOUT_MS: serviceShutdown,
        },
        health: `${local(ports.dashboard)}/healthz`,
      }),
    );
  }
  return plan;
}
