import { serviceNodeOptions } from '@baton/shared';
import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { waitFor } from '@baton/testing';
import { Redis } from 'ioredis';
import type { BenchPod } from './bench-pod.ts';
import { type ChildService, spawnService } from './child-service.ts';
import { countEnqueued } from './redis-ingest-probe.ts';
import type { Variant } from './variant.ts';

const PARTITIONS = 16;
const PREFIX = 'bench';

/** The processes of one run, started and ready. */
export interface RunningVariant {
  /** Processes by role (`ingester`, `workers`, `baseline`). */
  roles: Record<string, ChildService[]>;
  /** Events in the mailboxes so far (Baton only). */
  enqueued?: () => Promise<number>;
  /** The Redis of the run (Baton only), for redis-benchmark. */
  redis?: TestRedis;
  /** A client of that Redis (Baton only), for INFO commandstats. */
  redisClient?: Redis;
  /** With `deferWorkers`: spawn the workers now (they join `roles.workers`) and wait for their heartbeats. */
  startWorkers?: () => Promise<void>;
  stop(): Promise<void>;
}

export interface VariantOptions {
  feedVersion: 'v1' | 'v2';
  logLevel?: string;
  /** Extra env for the worker processes. */
  workerEnv?: Record<string, string>;
  /** Extra env for the ingester. */
  ingesterEnv?: Record<string, string>;
  /** Baton: start only the ingester; the workers wait for `startWorkers()` (ceiling: measure each alone). */
  deferWorkers?: boolean;
  /** When set, every spawned process writes a V8 CPU profile (`--cpu-prof`) into this directory. */
  cpuProfileDir?: string;
}

// Every variant runs compiled JavaScript (what production runs; `pnpm bench` builds first): no tsx loader in
// any measured process, so RSS and CPU compare like with like.
const ENTRIES = {
  ingester: 'services/ingester/dist/main.js',
  worker: 'services/worker/dist/main.js',
  baseline: 'bench/dist/baselines/baseline-main.js',
} as const;
const BENCH_BOT_MODULE = 'bench/dist/bench-bot.js';

function diagnose(services: ChildService[]): string {
  return services.map((s) => `--- ${s.label} (alive=${s.isAlive()}):\n${s.output()}`).join('\n');
}

async function mustBeReady(what: string, cond: () => Promise<boolean> | boolean, services: ChildService[]) {
  await waitFor(
    what,
    async () => {
      for (const s of services)
        if (!s.isAlive()) throw new Error(`${s.label} exited early\n${diagnose(services)}`);
      return cond();
    },
    60_000,
    () => diagnose(services),
  );
}

/** Starts the variant against the pod (and, for Baton, a fresh spawned Redis) and waits until it reads the feed. */
export async function startVariant(
  variant: Variant,
  pod: BenchPod,
  opts: VariantOptions,
): Promise<RunningVariant> {
  const logLevel = opts.logLevel ?? 'warn';
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const feedCount = () =>
    pod.sim.control.stats().feeds.filter((f) => f.userId === pod.botUserId && !f.expired).length;

  if (variant.kind !== 'baton') {
    const baseline = spawnService(
      variant.kind,
      ENTRIES.baseline,
      {
        ...pod.botEnv,
        BASELINE_MODE: variant.kind,
        FEED_VERSION: opts.feedVersion,
        LOG_LEVEL: logLevel,
      },
      nodeArgs,
    );
    const all = [baseline];
    try {
      await mustBeReady('the baseline to create its feed', () => feedCount() > 0, all);
    } catch (err) {
      await baseline.kill();
      throw err;
    }
    return { roles: { baseline: all }, stop: () => baseline.stop(3_000) };
  }

  const redisServer = await startTestRedis({ forceSpawn: true });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const common = {
    ...pod.botEnv,
    REDIS_URL: redisServer.url,
    BATON_PREFIX: PREFIX,
    MAILBOX_PARTITIONS: String(PARTITIONS),
    LOG_LEVEL: logLevel,
    // Baton's processes start with the services' Node flags, as every launcher starts them (docs/operations.md,
    // "Process memory"); the inline baselines with Node's defaults, as a BDK bot runs.
    NODE_OPTIONS: serviceNodeOptions(undefined),
  };
  const workers: ChildService[] = [];
  const all: ChildService[] = [];
  const stop = async () => {
    await Promise.all(all.map((s) => s.stop(8_000)));
    redis.disconnect();
    await redisServer.close();
  };
  const startWorkers = async () => {
    for (let i = 1; i <= variant.workers; i++) {
      const w = spawnService(
        `worker-${i}`,
        ENTRIES.worker,
        {
          ...common,
          BOT_MODULE: BENCH_BOT_MODULE,
          WORKER_ID: `w${i}`,
          WORKER_CONCURRENCY: String(variant.concurrency),
          OPS_PORT: '-1',
          // The inline baselines have no per-stream send limiter; lift Baton's so both post as fast as they can.
          SEND_RATE_PER_STREAM: '1000',
          SEND_BURST_PER_STREAM: '1000',
          ...opts.workerEnv,
        },
        nodeArgs,
      );
      workers.push(w);
      all.push(w);
    }
    await mustBeReady(
      'the workers to heartbeat',
      async () => {
        const keys = workers.map((_, i) => `${PREFIX}:workers:w${i + 1}`);
        return (await redis.exists(...keys)) === keys.length;
      },
      all,
    );
  };
  let ingester: ChildService;
  try {
    // Workers first, so a backlog the ingester moves at start is measured with the workers already draining
    // (unless deferred: then the ingester runs alone until the caller starts them).
    if (!opts.deferWorkers) await startWorkers();
    ingester = spawnService(
      'ingester',
      ENTRIES.ingester,
      {
        ...common,
        FEED_VERSION: opts.feedVersion,
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
        ...opts.ingesterEnv,
      },
      nodeArgs,
    );
    all.push(ingester);
    await mustBeReady('the ingester to create its feed', () => feedCount() > 0, all);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    roles: { ingester: [ingester], workers },
    enqueued: () => countEnqueued(redis, PREFIX, PARTITIONS),
    redis: redisServer,
    redisClient: redis,
    ...(opts.deferWorkers
      ? {
          startWorkers: async () => {
            try {
              await startWorkers();
            } catch (err) {
              await stop();
              throw err;
            }
          },
        }
      : {}),
    stop,
  };
}
