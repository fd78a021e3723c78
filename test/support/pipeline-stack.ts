import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createSimulator,
  type SimMessage,
  type Simulator,
  type SimulatorOptions,
} from '@baton/pod-simulator';
import { createRedis, type DeadLetter, freePort, ingestKeys, workerKeys } from '@baton/shared';
import {
  startTestRedis,
  startTestRedisCluster,
  startTestRedisSentinel,
  type TestRedis,
  type TestRedisCluster,
  type TestRedisSentinel,
  uniquePrefix,
} from '@baton/shared/testing';
import { createSimBotUser, NodeProcess, waitFor } from '@baton/testing';
import { createDeadLetters } from '@baton/worker';
import { afterAll, beforeAll } from 'vitest';
import { SERVICE_ENTRIES } from './service-entries.ts';
import { startTokenRecordingProxy, type TokenRecordingProxy } from './token-recording-proxy.ts';

/** A drill passes its size (`DrillSize`, `FailoverDrillSize`: rooms, users, workers among its figures) spread. */
export interface PipelineStackOptions {
  /** Rooms the bot and every sender are members of. */
  rooms: number;
  /** Human senders (the reference bot rate-limits per user: spread a burst over enough of them). */
  users: number;
  ingesters: number;
  workers: number;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Keep every log line of every process (log scans) instead of a tail. */
  keepLogs?: boolean;
  sim?: SimulatorOptions;
  ingesterEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
  /** Put the token-recording proxy between the services and the simulator (secret scans, held answers). */
  recordTokens?: boolean;
  /**
   * The Redis the services run on: one spawned redis-server with AOF (default), a live Redis Cluster (3 masters
   * + 3 replicas, `REDIS_CLUSTER_NODES`) or a Sentinel topology (1 master, 2 replicas, 3 sentinels,
   * `REDIS_SENTINELS`), all spawned.
   */
  redisTopology?: RedisTopologyKind;
  /** Give every ingester and worker an ops port on 127.0.0.1 (`/metrics`, `/readyz`): `stack.opsPorts`. */
  opsPorts?: boolean;
}

export type RedisTopologyKind = 'standalone' | 'cluster' | 'sentinel';

/** An ioredis client (the root package reaches ioredis only through @baton/shared). */
export type TestRedisClient = ReturnType<typeof createRedis>;

export interface PipelineStack {
  sim: Simulator;
  /** Standalone: the server. Cluster: its first node. Sentinel: the first master (which changes on a failover). */
  redisServer: TestRedis;
  redisTopology: RedisTopologyKind;
  /** The live Cluster (`redisTopology: 'cluster'`). */
  cluster: TestRedisCluster | undefined;
  /** The live Sentinel topology (`redisTopology: 'sentinel'`). */
  sentinel: TestRedisSentinel | undefined;
  /** Ops port of each service process by name (`ingester-1`, `worker-1`, …) with `opsPorts`. */
  opsPorts: Record<string, number>;
  /** The test's own Redis client (commands wait while Redis is down). */
  redis: TestRedisClient;
  prefix: string;
  bot: { userId: number; username: string };
  privateKeyPem: string;
  userIds: number[];
  rooms: string[];
  /** A room apart from the burst rooms: warm-up and canary commands. */
  controlRoom: string;
  /** Environment shared by every service process (Symphony, Redis, prefix, log level). */
  env: Record<string, string>;
  ingesters: NodeProcess[];
  workers: NodeProcess[];
  proxy: TokenRecordingProxy | undefined;
  /** Posts `text` as a user (default the first). */
  say(streamId: string, text: string, fromUserId?: number): void;
  /** What the bot posted in a stream, from the simulator's record. */
  botMessages(streamId: string): SimMessage[];
  /** The instance id of the ingester that holds the lease now (undefined: none, or Redis down). */
  leaderId(): Promise<string | undefined>;
  /** Every entry of the dead-letter queue. */
  deadLetters(): Promise<{ id: string; data: DeadLetter }[]>;
  /** Starts a worker process and waits for its heartbeat. */
  startWorker(w: NodeProcess): Promise<void>;
  /** Every captured log line of every process. */
  allLogLines(): string[];
  close(): Promise<void>;
}

/** Services' timings shortened so failover, stalls and retries happen within a test's seconds. */
export const FAST_INGESTER_ENV: Record<string, string> = {
  LEADER_LEASE_MS: '3000',
  READ_TIMEOUT_MS: '5000',
  SWEEP_INTERVAL_MS: '1000',
  SWEEP_AGE_MS: '3000',
  MAX_BACKOFF_MS: '1000',
  OPS_PORT: '0',
  OPS_HOST: '127.0.0.1',
};

export const FAST_WORKER_ENV: Record<string, string> = {
  WORKER_CONCURRENCY: '8',
  DRAIN_BATCH: '10',
  HANDLER_ATTEMPTS: '5',
  HANDLER_BACKOFF_MS: '200',
  HANDLER_BACKOFF_MAX_MS: '2000',
  LOCK_DURATION_MS: '3000',
  STALLED_INTERVAL_MS: '1000',
  SEND_RATE_PER_STREAM: '1000',
  SEND_BURST_PER_STREAM: '1000',
  HEARTBEAT_INTERVAL_MS: '1000',
  OPS_PORT: '-1',
};

/**
 * The whole pipeline as real processes: the simulator (in this process, optionally behind a token-recording
 * proxy), a spawned redis-server with AOF, N ingester processes and M worker processes running the reference
 * bot. The bot's key is handed over as a file (`SYMPHONY_PRIVATE_KEY_FILE`), as in production.
 */
export async function startPipelineStack(opts: PipelineStackOptions): Promise<PipelineStack> {
  const redisTopology = opts.redisTopology ?? 'standalone';
  const cluster = redisTopology === 'cluster' ? await startTestRedisCluster() : undefined;
  const sentinel = redisTopology === 'sentinel' ? await startTestRedisSentinel() : undefined;
  const redisServer: TestRedis =
    cluster?.nodes[0] ??
    (sentinel
      ? await sentinel.currentMaster()
      : await startTestRedis({ forceSpawn: true, appendOnly: true }));
  const redisEnv: Record<string, string> = {
    REDIS_URL: redisServer.url,
    ...(cluster ? { REDIS_CLUSTER_NODES: cluster.seedNodes } : {}),
    ...(sentinel ? { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name } : {}),
  };
  // No logger: Redis is killed on purpose; commands wait for the reconnect (or the failover).
  const redis = createRedis({
    url: redisServer.url,
    connectionName: 'drill',
    ...(cluster ? { clusterNodes: cluster.seedNodes.split(',') } : {}),
    ...(sentinel ? { sentinels: sentinel.sentinels.split(','), sentinelName: sentinel.name } : {}),
  });
  const sim = await createSimulator({ longPollMs: 1_000, redeliveryMs: 1_500, ...opts.sim });
  const proxy = opts.recordTokens ? await startTokenRecordingProxy(sim.url) : undefined;
  const { privateKeyPem, ...bot } = createSimBotUser(sim.control, 'chaos-bot', 'Chaos Bot');
  const userIds = Array.from(
    { length: opts.users },
    (_, i) => sim.control.createUser({ username: `sender${i}`, displayName: `Sender ${i}` }).userId,
  );
  const rooms = Array.from(
    { length: opts.rooms },
    (_, i) =>
      sim.control.createStream({ type: 'ROOM', name: `drill-${i}`, memberIds: [bot.userId, ...userIds] })
        .streamId,
  );
  const controlRoom = sim.control.createStream({
    type: 'ROOM',
    name: 'drill-control',
    memberIds: [bot.userId, ...userIds],
  }).streamId;
  const dir = await mkdtemp(join(tmpdir(), 'baton-drill-'));
  const keyFile = join(dir, 'bot.pem');
  await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
  const prefix = uniquePrefix('drill');
  const env: Record<string, string> = {
    SYMPHONY_POD_URL: proxy?.url ?? sim.url,
    SYMPHONY_BOT_USERNAME: bot.username,
    SYMPHONY_PRIVATE_KEY_FILE: keyFile,
    SYMPHONY_TIMEOUT_MS: '5000',
    SYMPHONY_DATAFEED_TIMEOUT_MS: '8000',
    // The simulator's extra agent front-ends (`sim: { agents: N }`): every service load balances over them.
    ...(sim.agents.length > 0 ? { SYMPHONY_AGENT_URLS: sim.agents.map((a) => a.url).join(',') } : {}),
    ...redisEnv,
    BATON_PREFIX: prefix,
    LOG_LEVEL: opts.logLevel ?? 'warn',
  };
  const opsPorts: Record<string, number> = {};
  for (const name of [
    ...Array.from({ length: opts.ingesters }, (_, i) => `ingester-${i + 1}`),
    ...Array.from({ length: opts.workers }, (_, i) => `worker-${i + 1}`),
  ]) {
    if (opts.opsPorts) opsPorts[name] = await freePort();
  }
  const opsEnv = (name: string): Record<string, string> =>
    opsPorts[name] === undefined ? {} : { OPS_HOST: '127.0.0.1', OPS_PORT: String(opsPorts[name]) };
  const service = (name: string, entry: string, extra: Record<string, string>) =>
    new NodeProcess({
      name,
      entry,
      env: { ...env, ...extra, ...opsEnv(name) },
      keepLines: opts.keepLogs ? Number.POSITIVE_INFINITY : 200,
    });
  const ingesters = Array.from({ length: opts.ingesters }, (_, i) =>
    service(`ingester-${i + 1}`, SERVICE_ENTRIES.ingester, {
      ...FAST_INGESTER_ENV,
      INSTANCE_ID: `ingester-${i + 1}`,
      ...opts.ingesterEnv,
    }),
  );
  const workers = Array.from({ length: opts.workers }, (_, i) =>
    service(`worker-${i + 1}`, SERVICE_ENTRIES.worker, {
      ...FAST_WORKER_ENV,
      BOT_MODULE: '@baton/reference-bot',
      WORKER_ID: `worker-${i + 1}`,
      ...opts.workerEnv,
    }),
  );
  const heartbeat = workerKeys(prefix).heartbeat;
  const leaderKey = ingestKeys(prefix).leader;
  const dlq = createDeadLetters({ connection: redis, prefix });
  dlq.queue.on('error', () => {});

  const stack: PipelineStack = {
    sim,
    redisServer,
    redisTopology,
    cluster,
    sentinel,
    opsPorts,
    redis,
    prefix,
    bot,
    privateKeyPem,
    userIds,
    rooms,
    controlRoom,
    env,
    ingesters,
    workers,
    proxy,
    say(streamId, text, fromUserId = userIds[0] as number) {
      sim.control.sendMessage(streamId, { fromUserId, text });
    },
    botMessages(streamId) {
      return sim.control.listMessages(streamId).filter((m) => m.sender.userId === bot.userId);
    },
    async leaderId() {
      if (redis.status !== 'ready') return undefined;
      const v = await Promise.race([redis.get(leaderKey), sleep(1_000).then(() => null)]);
      return v ? v.slice(0, v.lastIndexOf('|')) : undefined;
    },
    async deadLetters() {
      const out: { id: string; data: DeadLetter }[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await dlq.list({ offset, limit: 500 });
        out.push(...page.map((e) => ({ id: e.id, data: e.data })));
        if (page.length < 500) return out;
      }
    },
    async startWorker(w) {
      const id = w.options.env?.WORKER_ID as string;
      await redis.del(heartbeat(id));
      w.start();
      await waitFor(
        `${w.name} heartbeat`,
        async () => {
          if (!w.running) throw new Error(`${w.name} exited on start:\n${w.tail()}`);
          return (await redis.exists(heartbeat(id))) === 1;
        },
        45_000,
      );
    },
    allLogLines() {
      return [...ingesters, ...workers].flatMap((s) => s.lines.map((l) => `${s.name}: ${l}`));
    },
    async close() {
      await Promise.all([...ingesters, ...workers].map((s) => s.kill('SIGKILL')));
      await dlq.close().catch(() => {});
      redis.disconnect();
      await proxy?.close();
      await sim.close();
      if (cluster) await cluster.close();
      else if (sentinel) await sentinel.close();
      else await redisServer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };

  try {
    for (const i of ingesters) i.start();
    await Promise.all(workers.map((w) => stack.startWorker(w)));
    await waitFor(
      'an ingester to lead',
      async () => (await stack.leaderId()) !== undefined,
      45_000,
      () => ingesters.map((i) => i.tail(10)).join('\n'),
    );
    // Events are kept for the bot only once its feed exists.
    await waitFor(
      'the ingester to create its feed',
      () => sim.control.stats().feeds.some((f) => !f.expired),
      45_000,
    );
    // End-to-end warm-up: one command answered proves feed, mailbox, drain and reply all work.
    stack.say(controlRoom, `@${bot.username} /echo warmup`);
    await waitFor(
      'the warm-up reply',
      () => stack.botMessages(controlRoom).some((m) => m.text.includes('warmup')),
      60_000,
      () => stack.allLogLines().slice(-40).join('\n'),
    );
  } catch (err) {
    await stack.close();
    throw err;
  }
  return stack;
}

export interface PipelineStackHooks {
  /** The `beforeAll` that starts the stack. */
  startTimeoutMs: number;
  /** The `afterAll` that closes it (default: the config's hook timeout). */
  closeTimeoutMs?: number;
  /** Runs on the started stack right before its close. */
  beforeClose?: (stack: PipelineStack) => void;
}

/**
 * The stack of a test file or of a `describe` block: started by a `beforeAll`, closed by an `afterAll`. Its tests
 * read it through the getter returned. `opts` may be a function that the `beforeAll` calls first, within its
 * timeout (e.g. to start what the options point the services to).
 */
export function usePipelineStack(
  opts: PipelineStackOptions | (() => Promise<PipelineStackOptions>),
  hooks: PipelineStackHooks,
): () => PipelineStack {
  let stack: PipelineStack | undefined;
  beforeAll(async () => {
    stack = await startPipelineStack(typeof opts === 'function' ? await opts() : opts);
  }, hooks.startTimeoutMs);
  afterAll(async () => {
    if (stack) hooks.beforeClose?.(stack);
    await stack?.close();
  }, hooks.closeTimeoutMs);
  return () => {
    if (!stack) throw new Error('usePipelineStack: the stack is read before its beforeAll started it');
    return stack;
  };
}
