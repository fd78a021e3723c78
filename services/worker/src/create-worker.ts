import { hostname } from 'node:os';
import type { BotUser, ReplySender, RuntimeBot, RuntimeServices } from '@baton/bot';
import {
  botFingerprint,
  bullmqPrefix,
  childLogger,
  createOpsServer,
  createRedis,
  createRegistry,
  type DeadLetters,
  type Logger,
  type Mailbox,
  type OboClients,
  queueNames,
  RateLimitedError,
  redisConnectionConfigFrom,
  type SymphonyClient,
  serializeError,
  workerKeys,
} from '@baton/shared';
import { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { WorkerRuntimeConfig } from './config.ts';
import { createBullmqScheduler } from './runtime/bullmq-scheduler.ts';
import { deadLetterFailedTask } from './runtime/dead-letter-failed-task.ts';
import { createDrainProcessor } from './runtime/drain-processor.ts';
import { findOtherBots } from './runtime/find-other-bots.ts';
import { createHeartbeat } from './runtime/heartbeat.ts';
import { createIdempotentReplies } from './runtime/idempotent-replies.ts';
import { createIdempotentUpdates } from './runtime/idempotent-updates.ts';
import { openRuntimeQueues } from './runtime/open-runtime-queues.ts';
import { createProcessedMarks } from './runtime/processed-marks.ts';
import { createRedisAvailability, REDIS_PROBE_TIMEOUT_MS } from './runtime/redis-availability.ts';
import { createRedisStateStore } from './runtime/redis-state-store.ts';
import { createReplyLatency } from './runtime/reply-latency.ts';
import { BotConflictError } from './runtime/runtime-errors.ts';
import { createSendLimiter } from './runtime/send-limiter.ts';
import { createTaskProcessor } from './runtime/task-processor.ts';
import { createWorkerMetrics, type WorkerMetrics } from './runtime/worker-metrics.ts';

export interface WorkerDeps {
  bot: RuntimeBot;
  logger: Logger;
  /** Symphony client (required: the worker posts replies through it; an app-only worker's refuses every call). */
  client: SymphonyClient;
  /** The on-behalf-of app's clients (`ctx.obo`), when SYMPHONY_APP_ID is configured. */
  obo?: OboClients;
  /**
   * App-only: no bot account. The worker takes no drain jobs (there is no datafeed without a bot account, so no
   * ingester either) and runs scheduled tasks only; its bot identity is `app:<appId>` (user id 0).
   */
  appOnly?: { appId: string };
  /** Shared Redis connection (created from REDIS_URL when absent, and then closed by stop()). */
  redis?: Redis | Cluster;
  /** The bot's identity; read from session info at start when absent. */
  botUser?: BotUser;
  /** Prometheus registry (a fresh one when absent). */
  registry?: Registry;
  /**
   * The bot's id when the bot does not tell (`bot.identity()` without a name): the module the process loaded.
   * Default `unnamed-bot`.
   */
  botId?: string;
}

export interface BatonWorker {
  start(): Promise<void>;
  /** Stop taking new drains, finish the events in hand, close everything this worker opened. */
  stop(): Promise<void>;
  readonly metrics: WorkerMetrics;
  readonly registry: Registry;
  readonly mailbox: Mailbox;
  readonly deadLetters: DeadLetters;
  /** Port of the ops server once started (undefined when disabled). */
  readonly opsPort: number | undefined;
}

export function createWorker(config: WorkerRuntimeConfig, deps: WorkerDeps): BatonWorker {
  const logger = childLogger(deps.logger, { component: 'worker', workerId: config.WORKER_ID });
  const ownsRedis = !deps.redis;
  const redis =
    deps.redis ?? createRedis(redisConnectionConfigFrom(config, `worker-${config.WORKER_ID}`), { logger });
  const prefix = config.BATON_PREFIX;
  const names = queueNames(prefix);
  const connection = { connection: redis, prefix: bullmqPrefix(prefix) };
  const keys = workerKeys(prefix);
  const registry = deps.registry ?? createRegistry('worker', { instance: config.WORKER_ID });
  const metrics = createWorkerMetrics(registry);
  const onQueueError = (what: string) => (err: Error) =>
    logger.warn({ err: serializeError(err), queue: what }, 'queue error');

  const { mailbox, drainQueue, scheduledQueue, deadLetters } = openRuntimeQueues(redis, {
    prefix,
    partitions: config.MAILBOX_PARTITIONS,
    replayDedupTtlSec: config.REPLAY_DEDUP_TTL_SEC,
    onError: (what, err) => onQueueError(what)(err),
  });

  // Fired at the start of stop(): cuts short the waits of the events in hand (a send waiting on the limiter, a
  // drain waiting for Redis), which are then handed back unacked instead of holding the shutdown up.
  const shutdown = new AbortController();
  const redisAvailability = createRedisAvailability(redis);
  const limiter = createSendLimiter(redis, {
    signal: shutdown.signal,
    ratePerSec: config.SEND_RATE_PER_STREAM,
    burst: config.SEND_BURST_PER_STREAM,
    keyOf: keys.sendBucket,
    onThrottled: (_s, waitMs) => {
      metrics.sendThrottled.inc();
      metrics.sendThrottledSeconds.inc(waitMs / 1000);
    },
  });
  const replies = createIdempotentReplies({
    redis,
    client: deps.client,
    limiter,
    markKey: keys.reply,
    ttlSec: config.IDEMPOTENCY_TTL_SEC,
    retryAfterOf: (err) => (err instanceof RateLimitedError ? (err.retryAfterMs ?? 1_000) : undefined),
    onReply: (outcome) => metrics.replies.inc({ outcome }),
    onRecoveryScan: (scan) => {
      metrics.replyRecoveryReads.inc({ outcome: scan.outcome });
      metrics.replyRecoveryPages.inc(scan.pages);
    },
    logger,
  });
  // Message updates (`ctx.updateMessage`) share the replies' marks key space: `<prefix>:reply:<opId>:update`.
  const updates = createIdempotentUpdates({
    redis,
    client: deps.client,
    limiter,
    markKey: (opId) => keys.reply(opId, 'update'),
    ttlSec: config.IDEMPOTENCY_TTL_SEC,
    retryAfterOf: (err) => (err instanceof RateLimitedError ? (err.retryAfterMs ?? 1_000) : undefined),
    logger,
  });
  // Scheduled tasks' processed marks; for drains, the keys older workers used (the mailbox's own are in its slot).
  const marks = createProcessedMarks(redis, { keyOf: keys.processed, ttlSec: config.IDEMPOTENCY_TTL_SEC });
  // The framework's store is typed on Redis; a Cluster client exposes the same commands (single-key each).
  const state = createRedisStateStore(redis as Redis, { prefix: `${prefix}:state:` });
  const scheduler = createBullmqScheduler(scheduledQueue, {
    attempts: config.HANDLER_ATTEMPTS,
    backoffMs: Math.max(1, config.HANDLER_BACKOFF_MS),
  });

  const appOnly = deps.appOnly;
  let botUser: BotUser | undefined =
    deps.botUser ?? (appOnly ? { userId: 0, username: `app:${appOnly.appId}` } : undefined);
  const knownBotUser = (): BotUser => {
    if (!botUser) throw new Error('worker not started: bot identity unknown');
    return botUser;
  };
  const servicesFor = (log: Logger, sender: ReplySender): RuntimeServices => {
    return {
      client: deps.client,
      botUser: knownBotUser(),
      replies: sender,
      updates,
      state,
      scheduler,
      backlog: () => mailbox.backlog(),
      logger: log,
      ...(deps.obo ? { obo: deps.obo } : {}),
    };
  };

  let stopping = false;
  const replyLatency = createReplyLatency();
  const processDrain = createDrainProcessor({
    mailbox,
    drainQueue,
    bot: replyLatency.timed(deps.bot, { timeoutMs: config.HANDLER_TIMEOUT_MS }),
    botUser: knownBotUser,
    deadLetters,
    legacyMarks: marks,
    markTtlSec: config.IDEMPOTENCY_TTL_SEC,
    replies,
    servicesFor,
    metrics,
    logger,
    settings: {
      batch: config.DRAIN_BATCH,
      attempts: config.HANDLER_ATTEMPTS,
      backoffMs: config.HANDLER_BACKOFF_MS,
      backoffMaxMs: config.HANDLER_BACKOFF_MAX_MS,
      timeoutMs: config.HANDLER_TIMEOUT_MS,
    },
    isStopping: () => stopping,
    redis: redisAvailability,
    signal: shutdown.signal,
  });
  const processTask = createTaskProcessor({
    bot: deps.bot,
    marks,
    replies,
    servicesFor,
    metrics,
    logger,
    timeoutMs: config.HANDLER_TIMEOUT_MS,
  });

  const workerOpts = {
    ...connection,
    autorun: false,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    maxStalledCount: config.MAX_STALLED_COUNT,
  };
  const drainWorker = new Worker(names.drain, processDrain, workerOpts);
  const taskWorker = new Worker(names.scheduled, processTask, workerOpts);
  for (const [what, w] of [
    ['drain', drainWorker],
    ['scheduled', taskWorker],
  ] as const) {
    w.on('error', (err) => logger.warn({ err: serializeError(err), worker: what }, 'bullmq worker error'));
    w.on('failed', (job, err) =>
      logger.warn({ jobId: job?.id, worker: what, err: serializeError(err) }, 'job failed'),
    );
  }

  // A scheduled task that failed for good (all attempts used) is copied to the DLQ, where it can be replayed.
  taskWorker.on('failed', (job, err) => {
    if (!job) return;
    deadLetterFailedTask(job, err, { deadLetters, metrics }).catch((e: unknown) =>
      logger.warn({ err: serializeError(e), jobId: job.id }, 'could not dead-letter a task'),
    );
  });

  let handled = 0;
  drainWorker.on('completed', (_job, result: { handled?: number } | undefined) => {
    handled += result?.handled ?? 0;
  });

  const identity = deps.bot.identity?.();
  const commands = identity?.commands ?? [];
  const bot = {
    id: identity?.name ?? deps.botId ?? 'unnamed-bot',
    fingerprint: botFingerprint(commands),
    commands: commands.length,
    ...(identity?.version ? { version: identity.version } : {}),
  };
  const heartbeatKey = keys.heartbeat(config.WORKER_ID);
  const heartbeat = createHeartbeat(redis, {
    key: heartbeatKey,
    intervalMs: config.HEARTBEAT_INTERVAL_MS,
    info: {
      id: config.WORKER_ID,
      pid: process.pid,
      host: hostname(),
      startedAt: Date.now(),
      concurrency: config.WORKER_CONCURRENCY,
      bot,
    },
    stats: () => ({ handled }),
    latency: () => replyLatency.snapshot(),
    onError: (err) => logger.warn({ err: serializeError(err) }, 'heartbeat failed'),
  });

  /** What liveness and readiness watch: the drain worker, or the task worker of an app-only worker (no drains). */
  const mainWorker = appOnly ? taskWorker : drainWorker;
  const ops =
    config.OPS_PORT >= 0
      ? createOpsServer(
          { host: config.OPS_HOST, port: config.OPS_PORT },
          {
            registry,
            logger,
            isLive: () => !stopping || mainWorker.isRunning(),
            // Not ready while Redis does not answer a PING (every master of a Cluster) or a drain waits for it.
            isReady: async () => {
              const redisAnswers = await redisAvailability.probe(REDIS_PROBE_TIMEOUT_MS);
              const waitingForRedis = (await metrics.waitingForRedis.get()).values[0]?.value ?? 0;
              const running = mainWorker.isRunning();
              return {
                ready: redisAnswers && waitingForRedis === 0 && running && !stopping,
                detail: { redis: redis.status, redisAnswers, waitingForRedis, running, stopping },
              };
            },
          },
        )
      : undefined;
  let opsPort: number | undefined;
  const runs: Promise<void>[] = [];

  return {
    metrics,
    registry,
    mailbox,
    deadLetters,
    get opsPort() {
      return opsPort;
    },
    async start() {
      if (!botUser) {
        const me = await deps.client.getSessionInfo();
        botUser = {
          userId: me.id,
          username: me.username,
          ...(me.displayName ? { displayName: me.displayName } : {}),
        };
      }
      // Beat first, then look: of two different bots starting at once, each sees the other and both refuse.
      await heartbeat.start();
      const others = await findOtherBots(redis, {
        pattern: keys.heartbeatPattern(),
        selfKey: heartbeatKey,
        botId: bot.id,
      });
      if (others.length > 0) {
        await heartbeat.stop();
        throw new BotConflictError(
          bot.id,
          others.map((o) => ({ workerId: o.id, botId: o.bot.id })),
        );
      }
      if (ops) opsPort = await ops.start();
      for (const w of appOnly ? [taskWorker] : [drainWorker, taskWorker]) {
        runs.push(
          w
            .run()
            .catch((err: unknown) => logger.error({ err: serializeError(err) }, 'bullmq worker stopped')),
        );
      }
      logger.info(
        {
          concurrency: config.WORKER_CONCURRENCY,
          batch: config.DRAIN_BATCH,
          opsPort,
          bot: bot.id,
          fingerprint: bot.fingerprint,
          ...(deps.obo ? { oboApp: deps.obo.appId } : {}),
        },
        appOnly ? 'worker started (app-only: scheduled tasks only, no drains)' : 'worker started',
      );
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      shutdown.abort(new Error('worker stopping'));
      logger.info('stopping: finishing the events in hand (waits on the send limiter or on Redis end now)');
      await Promise.all([drainWorker.close(), taskWorker.close()]);
      await Promise.allSettled(runs);
      await heartbeat.stop();
      await Promise.allSettled([
        drainQueue.close(),
        scheduledQueue.close(),
        deadLetters.close(),
        ops?.stop(),
      ]);
      mailbox.close?.();
      redisAvailability.close();
      if (ownsRedis) await redis.quit().catch(() => redis.disconnect());
      logger.info('stopped');
    },
  };
}
