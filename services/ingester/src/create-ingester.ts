import { hostname } from 'node:os';
import {
  bullmqPrefix,
  childLogger,
  createMailbox,
  createOpsServer,
  createRedis,
  createSymphonyClient,
  type Logger,
  type Mailbox,
  queueNames,
  redisConnectionConfigFrom,
  type SymphonyClient,
  serializeError,
  symphonyClientConfigFrom,
} from '@baton/shared';
import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { IngesterConfig } from './config.ts';
import { createFeedSource } from './feed-source.ts';
import { createFeedState, type FeedState } from './feed-state.ts';
import { createIngesterMetrics, type IngesterMetrics } from './ingester-metrics.ts';
import { createLeaderLease } from './leader-lease.ts';
import { createReadLoop } from './read-loop.ts';
import { createSweeper } from './sweeper.ts';
import { waitAtMost } from './wait-at-most.ts';

export interface IngesterDeps {
  logger: Logger;
  /** A Redis client to use (not closed by stop()); default: one created from the config. */
  redis?: Redis | Cluster;
  /** A Symphony client to use; default: createSymphonyClient from the config. */
  client?: SymphonyClient;
  clock?: () => number;
}

export interface IngesterHealth {
  live: boolean;
  ready: boolean;
  role: 'leader' | 'standby' | 'stopped';
  instanceId: string;
  leaderToken?: string;
  lastReadAgeMs: number | null;
  feed: { version: string; feedId: string | undefined };
}

export interface Ingester {
  /** Starts the lease, the read loop, the sweeper and (when OPS_PORT is set) the ops server; resolves once running. */
  start(): Promise<void>;
  /**
   * Aborts the long poll, stores the batches in hand (v1 read-ahead: all those read) and their ackId, releases
   * the lease; bounded by `graceMs`.
   */
  stop(graceMs?: number): Promise<void>;
  health(): IngesterHealth;
  /** The ops server's bound port (after start), when one runs. */
  opsPort(): number | undefined;
  readonly metrics: IngesterMetrics;
  readonly mailbox: Mailbox;
  readonly feedState: FeedState;
}

/** The one datafeed reader: feed → per-stream mailboxes, durably and in order. See docs/ingester.md. */
export function createIngester(config: IngesterConfig, deps: IngesterDeps): Ingester {
  const now = deps.clock ?? Date.now;
  const instanceId = config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  const logger = childLogger(deps.logger, { component: 'ingester', instanceId });
  const ownsRedis = deps.redis === undefined;
  const redis =
    deps.redis ?? createRedis(redisConnectionConfigFrom(config, `ingester:${instanceId}`), { logger });
  const ownsClient = deps.client === undefined;
  const client = deps.client ?? createSymphonyClient(symphonyClientConfigFrom(config), { logger });
  const prefix = config.BATON_PREFIX;
  const names = queueNames(prefix);
  const mailbox = createMailbox(redis, { prefix, partitions: config.MAILBOX_PARTITIONS, now });
  const queueOpts = { connection: redis, prefix: bullmqPrefix(prefix) };
  const drainQueue = new Queue(names.drain, queueOpts);
  const dlqQueue = new Queue(names.dlq, queueOpts);
  for (const q of [drainQueue, dlqQueue]) {
    q.on('error', (err) => logger.warn({ queue: q.name, err: serializeError(err) }, 'queue error'));
  }
  const feedState = createFeedState(redis, prefix);

  let readLoopRef: ReturnType<typeof createReadLoop> | undefined;
  const metrics = createIngesterMetrics({
    processMetrics: true,
    backlog: () => mailbox.backlog(),
    lastReadAgeMs: () => {
      const t = readLoopRef?.lastReadAt();
      return t == null ? null : now() - t;
    },
  });
  metrics.registry.setDefaultLabels({ service: 'ingester', instance: instanceId });

  const lease = createLeaderLease(
    { prefix, instanceId, leaseMs: config.LEADER_LEASE_MS },
    {
      redis,
      logger,
      now,
      // Raise every mailbox partition's fence first, so a deposed leader can no longer enqueue anywhere.
      onAcquired: (token) => mailbox.fence(token),
      onLost: () => {
        metrics.leader.set(0);
        readLoopRef?.leadershipLost();
      },
    },
  );
  const source = createFeedSource(
    {
      version: config.FEED_VERSION,
      datahoseTag: (config.DATAHOSE_TAG ?? `datahose-${config.SYMPHONY_BOT_USERNAME}`).slice(0, 80),
      datahoseEventTypes: [...config.DATAHOSE_EVENT_TYPES],
      readTimeoutMs: config.READ_TIMEOUT_MS,
    },
    { client, state: feedState, logger, onFeedsDeleted: (n) => metrics.staleFeedsDeleted.inc(n) },
  );
  const readLoop = createReadLoop(
    {
      dedupTtlSec: config.DEDUP_TTL_SEC,
      ingestOwnMessages: config.INGEST_OWN_MESSAGES,
      maxBackoffMs: config.MAX_BACKOFF_MS,
      v1ReadAhead: config.INGESTER_V1_READ_AHEAD,
    },
    { client, source, state: feedState, lease, mailbox, drainQueue, dlqQueue, metrics, logger, now },
  );
  readLoopRef = readLoop;
  const sweeper = createSweeper(
    { intervalMs: config.SWEEP_INTERVAL_MS, ageMs: config.SWEEP_AGE_MS },
    { mailbox, drainQueue, isLeader: () => lease.isLeader(), metrics, logger, now },
  );

  function health(): IngesterHealth {
    const stale = 2 * config.READ_TIMEOUT_MS;
    const leader = lease.isLeader();
    const last = readLoop.lastReadAt();
    const since = Math.max(last ?? 0, readLoop.sessionStartedAt() ?? 0);
    const reading = leader && since > 0 && now() - since < stale;
    const redisUp = redis.status === 'ready';
    const feed = source.describe();
    return {
      live: running,
      ready: running && (leader ? reading : redisUp),
      role: !running ? 'stopped' : leader ? 'leader' : 'standby',
      instanceId,
      ...(lease.token() ? { leaderToken: lease.token() } : {}),
      lastReadAgeMs: last === null ? null : now() - last,
      feed: { version: feed.version, feedId: feed.feedId },
    };
  }

  const ops =
    config.OPS_PORT !== undefined
      ? createOpsServer(
          { host: config.OPS_HOST, port: config.OPS_PORT },
          {
            registry: metrics.registry,
            logger,
            isLive: () => health().live,
            isReady: () => {
              const h = health();
              return { ready: h.ready, detail: { role: h.role, lastReadAgeMs: h.lastReadAgeMs } };
            },
          },
        )
      : undefined;

  let running = false;
  let stopCtl = new AbortController();
  let hardCtl = new AbortController();
  let loopDone: Promise<void> = Promise.resolve();
  let boundPort: number | undefined;

  return {
    metrics,
    mailbox,
    feedState,
    opsPort: () => boundPort,
    health,
    async start() {
      if (running) return;
      running = true;
      stopCtl = new AbortController();
      hardCtl = new AbortController();
      if (ops) boundPort = await ops.start();
      lease.start();
      sweeper.start();
      loopDone = readLoop.run(stopCtl.signal, hardCtl.signal).catch((err: unknown) => {
        logger.fatal({ err }, 'read loop crashed');
      });
      logger.info({ feedVersion: config.FEED_VERSION, prefix }, 'ingester started');
    },
    async stop(graceMs = 4_000) {
      if (!running) return;
      running = false;
      logger.info('stopping: aborting the long poll, storing the batches in hand');
      stopCtl.abort();
      const hardAt = Math.max(0, graceMs - 1_000);
      const deadline = setTimeout(() => hardCtl.abort(), hardAt);
      // A batch stuck on an unreachable Redis cannot finish: give up on it rather than hold the exit (v2 and
      // datahose: it was not acked, so the feed delivers it again; v1: lost, and the read loop logs what).
      await waitAtMost(loopDone, hardAt + 500);
      clearTimeout(deadline);
      await sweeper.stop();
      // The lease release waits for Redis at most ~1 s: a dead Redis must not hold the exit.
      await waitAtMost(lease.stop(), 1_000);
      const closing = [drainQueue.close(), dlqQueue.close(), ops?.stop()].map((p) =>
        Promise.resolve(p).catch(() => {}),
      );
      await waitAtMost(Promise.all(closing), 500);
      if (ownsClient && 'close' in client && typeof client.close === 'function') client.close();
      if (ownsRedis) redis.disconnect();
      logger.info('ingester stopped');
    },
  };
}
