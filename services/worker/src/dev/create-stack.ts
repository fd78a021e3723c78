import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '@baton/shared';
import { ensureBotKeyPair } from './bot-key-pair.ts';
import type { BotChoice } from './choose-bot-module.ts';
import { forgetSimulatorFeed } from './forget-simulator-feed.ts';
import { portIsFree, portOrFree } from './free-port.ts';
import { type PlannedProcess, planProcesses, type StackPorts } from './plan-processes.ts';
import { createProcessSupervisor, type ManagedProcess } from './process-supervisor.ts';
import { redisAnswers } from './redis-ping.ts';
import { NO_REDIS_HELP, redisServerVersion } from './redis-server.ts';
import type { StackCommands } from './resolve-stack-commands.ts';
import { type StackGuard, startStackGuard } from './stack-guard.ts';
import type { StackOutput } from './stack-output.ts';
import { removeStackRecord, writeStackRecord } from './stack-record.ts';
import type { StartConfig } from './start-config.ts';
import { httpOk, StartAbortedError, waitHealthy } from './wait-healthy.ts';
import { writeSimSeed } from './write-sim-seed.ts';

/** Neither REDIS_URL nor a redis-server binary: nothing to run the stack on. */
export class RedisUnavailableError extends BatonError {
  constructor() {
    super('DEV_REDIS_UNAVAILABLE', NO_REDIS_HELP);
  }
}

/** Fixed ports that something else already listens on (another stack, a system Redis...). */
export class PortsInUseError extends BatonError {
  constructor(readonly conflicts: readonly { variable: string; port: number }[]) {
    super(
      'DEV_PORTS_IN_USE',
      `port(s) already in use: ${conflicts.map((c) => `${c.port} (${c.variable})`).join(', ')}. ` +
        'Stop what holds them (an earlier `baton dev` / `pnpm start`?) or choose other ports (0 = any free port).',
    );
  }
}

/** Where to reach what the stack runs, once it is healthy. */
export interface StackInfo {
  /** Marks every process of this run (BATON_STACK_ID in their environment). */
  stackId: string;
  redisUrl: string;
  /** The simulator's chat page (simulated pods only). */
  chatUrl: string | undefined;
  /** The simulator's control API base (simulated pods only). */
  simUrl: string | undefined;
  /** The dashboard (when the project has @baton/dashboard). */
  dashboardUrl: string | undefined;
  marketDataUrl: string | undefined;
  /** The bot's username (whom to address on the chat page). */
  botUsername: string;
  /** Prometheus endpoints by process name. */
  metrics: Record<string, string>;
  /** Current PID of each process, by name. */
  pids: Record<string, number | undefined>;
  /** The port of each process, by name (the ops port for Baton's services). */
  ports: Record<string, number>;
}

export interface StackDeps {
  output: StackOutput;
  /** The environment the services inherit (shell + .env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The bot project: processes run in it, a relative SYMPHONY_PRIVATE_KEY_FILE resolves against it. */
  projectDir: string;
  /** How to run each Node process (see resolveStackCommands). */
  commands: StackCommands;
  /** The bot the workers run. */
  bot: BotChoice;
  /** A process crashed for good (see START_ON_CRASH): the caller should stop the stack and exit 1. */
  onFatal(reason: string): void;
}

export interface Stack {
  /** Starts every process in phases (Redis; simulator + market data; Baton) and resolves once all are healthy. */
  start(): Promise<StackInfo>;
  /** Stops everything (Baton's services, then the simulator and market data, then Redis); idempotent. */
  stop(): Promise<void>;
  /** Every PID the stack's processes have had. */
  allPids(): number[];
  /**
   * Restarts every worker (the bot changed) and resolves once they are ready again, or once a newer reload or
   * `stop` supersedes this one. Resolves `reloaded` (all ready), `waiting` (a worker refused its configuration:
   * the next change reloads it) or `superseded`.
   */
  reloadWorkers(): Promise<'reloaded' | 'waiting' | 'superseded'>;
}

/**
 * The whole Baton stack for one bot on one machine: Redis, the pod simulator, the ingester, N workers running the
 * bot, and the dashboard and the reference bot's market data when the project has them.
 */
export function createStack(config: StartConfig, deps: StackDeps): Stack {
  const { output } = deps;
  const stackId = randomUUID();
  const aborted = new AbortController();
  const running: { planned: PlannedProcess; managed: ManagedProcess }[] = [];
  /** Start phase of each process, by name (the guard stops them in the reverse order). */
  const phaseOf = new Map<string, PlannedProcess['phase']>();
  let guard: StackGuard | undefined;
  /** Set once the stack is up: the record in BATON_HOME/stack.json is kept current from then on. */
  let up: StackInfo | undefined;
  const supervisor = createProcessSupervisor(
    {
      onCrash: config.START_ON_CRASH,
      maxRestarts: config.START_MAX_RESTARTS,
      logFormat: config.START_LOG_FORMAT,
    },
    {
      output,
      onFatal: deps.onFatal,
      onSpawn: (name, pid) => {
        const phase = phaseOf.get(name) ?? 2;
        // The guard knows standbys as Baton services: it stops phase 2 first.
        guard?.add(pid, phase === 3 ? 2 : phase);
        if (up) void saveRecord();
      },
      onExit: (_name, pid) => guard?.remove(pid),
    },
  );

  function currentPids(): Record<string, number | undefined> {
    return Object.fromEntries(running.map(({ managed }) => [managed.name, managed.pid()]));
  }

  async function saveRecord(): Promise<void> {
    if (!up || stopping) return;
    const pids = Object.fromEntries(
      Object.entries(currentPids()).filter((e): e is [string, number] => e[1] !== undefined),
    );
    try {
      await writeStackRecord(config.home, {
        pid: process.pid,
        startedAt: startedAt,
        redisUrl: up.redisUrl,
        prefix: config.BATON_PREFIX,
        ports: up.ports,
        pids,
        stackId,
        ...(guard?.pid !== undefined ? { guardPid: guard.pid } : {}),
      });
    } catch (err) {
      output.warn(
        `could not write ${config.home}/stack.json: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const startedAt = Date.now();
  let stopping: Promise<void> | undefined;
  /** The fake market-data service (the reference bot's /quote), unless MARKET_DATA_URL points at one. */
  const runMarketData = deps.commands.marketData !== undefined;
  const runDashboard = deps.commands.dashboard !== undefined;
  let reloads = 0;
  /** Ops port of the ingester (0) and of worker i (1..WORKERS): consecutive from OPS_PORT, or all free ports. */
  const opsPort = (i: number) => (config.OPS_PORT === 0 ? 0 : config.OPS_PORT + i);

  async function checkFixedPorts(spawnRedis: boolean): Promise<void> {
    const wanted: { variable: string; port: number }[] = [
      ...(spawnRedis ? [{ variable: 'START_REDIS_PORT', port: config.START_REDIS_PORT }] : []),
      ...(config.simulated ? [{ variable: 'SIM_PORT', port: config.SIM_PORT }] : []),
      ...(runMarketData ? [{ variable: 'MARKET_DATA_PORT', port: config.MARKET_DATA_PORT }] : []),
      ...(runDashboard ? [{ variable: 'DASHBOARD_PORT', port: config.DASHBOARD_PORT }] : []),
      ...Array.from({ length: config.WORKERS + config.INGESTERS }, (_, i) => ({
        variable: i === 0 ? 'OPS_PORT' : `OPS_PORT+${i}`,
        port: opsPort(i),
      })),
    ].filter((w) => w.port !== 0);
    const busy = [];
    for (const w of wanted) if (!(await portIsFree(w.port))) busy.push(w);
    if (busy.length > 0) throw new PortsInUseError(busy);
  }

  async function allocatePorts(spawnRedis: boolean): Promise<StackPorts> {
    await checkFixedPorts(spawnRedis);
    const taken = new Set<number>();
    const redis = spawnRedis ? await portOrFree(config.START_REDIS_PORT, taken) : undefined;
    const sim = config.simulated ? await portOrFree(config.SIM_PORT, taken) : undefined;
    const marketData = runMarketData ? await portOrFree(config.MARKET_DATA_PORT, taken) : undefined;
    const dashboard = runDashboard ? await portOrFree(config.DASHBOARD_PORT, taken) : undefined;
    const ingesterOps = await portOrFree(opsPort(0), taken);
    const workerOps: number[] = [];
    for (let i = 1; i <= config.WORKERS; i++) {
      workerOps.push(await portOrFree(opsPort(i), taken));
    }
    const standbyOps: number[] = [];
    for (let i = 1; i < config.INGESTERS; i++) {
      standbyOps.push(await portOrFree(opsPort(config.WORKERS + i), taken));
    }
    return { redis, sim, marketData, dashboard, ingesterOps, workerOps, standbyOps };
  }

  function prepareFiles(): { privateKeyFile: string | undefined; seedFile: string | undefined } {
    mkdirSync(config.home, { recursive: true });
    if (!config.simulated) {
      const keyFile = config.SYMPHONY_PRIVATE_KEY_FILE;
      return { privateKeyFile: keyFile ? resolve(deps.projectDir, keyFile) : undefined, seedFile: undefined };
    }
    const keys = ensureBotKeyPair(join(config.home, 'keys'));
    output.info(
      keys.generated
        ? `generated the bot's RSA key pair in ${join(config.home, 'keys')}`
        : `using the bot's key pair in ${join(config.home, 'keys')}`,
    );
    const seedFile = join(config.home, 'sim-seed.yaml');
    writeSimSeed(seedFile, { botUsername: config.SYMPHONY_BOT_USERNAME, publicKeyPath: keys.publicKeyPath });
    return { privateKeyFile: keys.privateKeyPath, seedFile };
  }

  async function runPhase(plan: readonly PlannedProcess[], phase: PlannedProcess['phase']): Promise<void> {
    const members = plan.filter((p) => p.phase === phase);
    if (members.length === 0) return;
    for (const planned of members) {
      if (aborted.signal.aborted) return;
      phaseOf.set(planned.spec.name, planned.phase);
      running.push({ planned, managed: supervisor.start(planned.spec) });
    }
    const checks: Record<string, () => Promise<boolean>> = {};
    for (const { spec, health } of members) {
      checks[spec.name] = () => (health.kind === 'redis' ? redisAnswers(health.url) : httpOk(health.url));
    }
    await waitHealthy(checks, {
      timeoutMs: config.START_HEALTH_TIMEOUT_MS,
      signal: aborted.signal,
      onHealthy: (name) => output.info(`${name} is healthy`),
    });
  }

  async function forgetLastFeed(redisUrl: string): Promise<void> {
    try {
      const forgotten = await forgetSimulatorFeed(redisUrl, config.BATON_PREFIX);
      if (!forgotten) return;
      output.info(
        `the pod simulator starts empty: forgot the datafeed ${forgotten.feedId ?? ''} the last run's ingester read ` +
          "(what it still held was the last simulator's, gone with it); the mailboxes and dead letters in Redis are kept",
      );
    } catch (err) {
      output.warn(
        `could not clear the last run's datafeed record in Redis (${err instanceof Error ? err.message : String(err)}): ` +
          'the ingester will recreate the feed',
      );
    }
  }

  return {
    allPids: () => supervisor.allPids(),
    async start() {
      const spawnRedis = config.REDIS_URL === undefined;
      if (spawnRedis) {
        const version = redisServerVersion();
        if (!version) throw new RedisUnavailableError();
        output.info(
          `${version.split(' ').slice(0, 3).join(' ')}: data and AOF in ${join(config.home, 'redis')}`,
        );
      } else if (!(await redisAnswers(config.REDIS_URL as string, 3_000))) {
        output.warn(`Redis at REDIS_URL does not answer yet; the services will keep retrying`);
      }
      const ports = await allocatePorts(spawnRedis);
      const files = prepareFiles();
      guard = startStackGuard({ graceMs: config.START_STOP_TIMEOUT_MS, env: deps.env });
      const plan = planProcesses(config, ports, { projectDir: deps.projectDir, ...files }, deps.commands, {
        botModule: deps.bot.module,
        baseEnv: deps.env,
        stackId,
      });
      const redisUrl = config.REDIS_URL ?? plan.find((p) => p.spec.name === 'redis')?.health.url ?? '';
      await runPhase(plan, 0);
      if (config.simulated && !aborted.signal.aborted) await forgetLastFeed(redisUrl);
      for (const phase of [1, 2, 3] as const) await runPhase(plan, phase);
      if (aborted.signal.aborted) throw new StartAbortedError();
      const metrics: Record<string, string> = {};
      for (const { spec, health } of plan) {
        if (spec.name.startsWith('ingester') || spec.name.startsWith('worker-')) {
          metrics[spec.name] = health.url.replace(/\/readyz$/, '/metrics');
        }
      }
      const simUrl = ports.sim !== undefined ? `http://127.0.0.1:${ports.sim}` : undefined;
      const named: Record<string, number | undefined> = {
        redis: ports.redis,
        'pod-simulator': ports.sim,
        'market-data': ports.marketData,
        dashboard: ports.dashboard,
        ingester: ports.ingesterOps,
        ...Object.fromEntries(ports.workerOps.map((p, i) => [`worker-${i + 1}`, p])),
        ...Object.fromEntries(ports.standbyOps.map((p, i) => [`ingester-${i + 2}`, p])),
      };
      const info: StackInfo = {
        stackId,
        redisUrl,
        chatUrl: simUrl ? `${simUrl}/` : undefined,
        simUrl,
        dashboardUrl: ports.dashboard !== undefined ? `http://127.0.0.1:${ports.dashboard}/` : undefined,
        marketDataUrl:
          config.MARKET_DATA_URL ??
          (ports.marketData !== undefined ? `http://127.0.0.1:${ports.marketData}` : undefined),
        botUsername: config.SYMPHONY_BOT_USERNAME,
        metrics,
        pids: currentPids(),
        ports: Object.fromEntries(
          Object.entries(named).filter((e): e is [string, number] => e[1] !== undefined),
        ),
      };
      up = info;
      await saveRecord();
      return info;
    },
    async reloadWorkers() {
      const reload = ++reloads;
      const workers = running.filter((r) => r.planned.spec.name.startsWith('worker-'));
      await Promise.all(workers.map((w) => w.managed.restart(config.START_STOP_TIMEOUT_MS)));
      const pending = new Set(workers);
      const deadline = Date.now() + config.START_HEALTH_TIMEOUT_MS;
      let waiting = false;
      while (pending.size > 0) {
        if (reload !== reloads || aborted.signal.aborted) return 'superseded';
        for (const w of [...pending]) {
          if (w.managed.waiting()) {
            waiting = true;
            pending.delete(w);
          } else if (await httpOk(w.planned.health.url)) {
            pending.delete(w);
          }
        }
        if (pending.size === 0) break;
        if (Date.now() > deadline) {
          const names = [...pending].map((w) => w.managed.name).join(', ');
          output.warn(`not ready ${config.START_HEALTH_TIMEOUT_MS} ms after the reload: ${names}`);
          return 'waiting';
        }
        await sleep(250);
      }
      return waiting ? 'waiting' : 'reloaded';
    },
    stop() {
      stopping ??= (async () => {
        aborted.abort();
        const inPhase = (phase: number) =>
          running.filter((r) => r.planned.phase === phase).map((r) => r.managed);
        // Standbys first (no takeover while the leader stops), then Baton, the simulator, Redis.
        await supervisor.stopAll(
          [inPhase(3), inPhase(2), inPhase(1), inPhase(0)],
          config.START_STOP_TIMEOUT_MS,
        );
        if (up) await removeStackRecord(config.home).catch(() => undefined);
        await guard?.release();
      })();
      return stopping;
    },
  };
}
