import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { bullmqPrefix, queueNames, scheduleDrains } from '@baton/shared';
import { startTestRedis } from '@baton/shared/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { commandStatsDelta, readCommandStats } from './harness/redis-command-stats.ts';
import { createReadyListDrains } from './spikes/ready-list-drains.ts';

/**
 * `node --conditions=@baton/source --import tsx bench/src/drain-scheduling-spike-main.ts [drains] [rounds] [out.json]`:
 * what a drain costs in scheduling alone, BullMQ's job per drain (as Baton uses it: `scheduleDrains`, dedup with
 * keepLastIfActive, removeOnComplete, a Worker of 32 with the worker's default lock and stall settings) against the
 * ready-list spike (`spikes/ready-list-drains.ts`), with no-op drains, alternated on one throwaway Redis. Closed
 * loop: the producer keeps at most 64 drains outstanding, scheduling 4 fresh streams a call (a steady-rate read).
 * Reports per drain: Redis commands (INFO commandstats, scripts' inner commands included), script calls, the
 * client process's CPU (producer and consumer, one process) and Redis's own CPU.
 */
const drains = Number(process.argv[2] ?? 4000);
const rounds = Number(process.argv[3] ?? 3);
const out = process.argv[4];
const CONCURRENCY = 32;
const OUTSTANDING = 64;
const PER_CALL = 4;

interface Consumer {
  schedule(ids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

type Mode = 'bullmq' | 'ready-list';

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const num = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return num('used_cpu_user') + num('used_cpu_sys');
}

async function startBullmq(url: string, prefix: string, done: () => void): Promise<Consumer> {
  const connection = { connection: { url, maxRetriesPerRequest: null }, prefix: bullmqPrefix(prefix) };
  const names = queueNames(prefix);
  const queue = new Queue(names.drain, connection);
  const worker = new Worker(
    names.drain,
    async () => {
      done();
      return { handled: 1 };
    },
    {
      ...connection,
      concurrency: CONCURRENCY,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    },
  );
  await worker.waitUntilReady();
  return {
    schedule: (ids) => scheduleDrains(queue, ids),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

async function startReadyList(url: string, prefix: string, done: () => void): Promise<Consumer> {
  const redis = new Redis(url);
  const blocking = new Redis(url);
  const drainsApi = createReadyListDrains(redis, blocking, { prefix, leaseMs: 10_000 });
  const inFlight = new Set<string>();
  let stopping = false;
  let slotFreed: (() => void) | undefined;
  const renewTimer = setInterval(() => void drainsApi.renew([...inFlight]), 5_000);
  const reapTimer = setInterval(() => void drainsApi.reap(), 5_000);
  const loop = (async () => {
    while (!stopping) {
      const free = CONCURRENCY - inFlight.size;
      if (free === 0) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
        });
        continue;
      }
      const ids = await drainsApi.take(free, 0.2);
      for (const id of ids) {
        inFlight.add(id);
        void (async () => {
          done();
          await drainsApi.finish(id);
          inFlight.delete(id);
          slotFreed?.();
          slotFreed = undefined;
        })();
      }
    }
  })();
  return {
    schedule: (ids) => drainsApi.schedule(ids),
    async close() {
      stopping = true;
      slotFreed?.();
      await loop;
      clearInterval(renewTimer);
      clearInterval(reapTimer);
      redis.disconnect();
      blocking.disconnect();
    },
  };
}

async function runOnce(mode: Mode, url: string, admin: Redis, round: number) {
  const prefix = `spike${round}${mode === 'bullmq' ? 'b' : 'r'}`;
  let completed = 0;
  let wake: (() => void) | undefined;
  const consumer = await (mode === 'bullmq' ? startBullmq : startReadyList)(url, prefix, () => {
    completed++;
    wake?.();
  });
  await sleep(500);
  const stats0 = await readCommandStats(admin);
  const redisCpu0 = await redisCpuSeconds(admin);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let scheduled = 0;
  while (completed < drains) {
    while (scheduled < drains && scheduled - completed < OUTSTANDING) {
      const ids = Array.from(
        { length: Math.min(PER_CALL, drains - scheduled) },
        (_, i) => `s${scheduled + i}`,
      );
      scheduled += ids.length;
      await consumer.schedule(ids);
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redisCpu = (await redisCpuSeconds(admin)) - redisCpu0;
  const stats = commandStatsDelta(stats0, await readCommandStats(admin));
  await consumer.close();
  if (completed !== drains) throw new Error(`${mode}: ${completed} of ${drains} drains ran`);
  return {
    mode,
    round,
    drains,
    drainsPerSec: Math.round(drains / wallS),
    clientCpuUsPerDrain: Math.round((cpu.user + cpu.system) / drains),
    redisCpuUsPerDrain: Math.round((redisCpu * 1e6) / drains),
    commandsPerDrain: Number((stats.total / drains).toFixed(1)),
    scriptCallsPerDrain: Number((stats.scripts / drains).toFixed(2)),
    top: stats.top,
  };
}

/** Client CPU of one Redis round trip (a PING awaited before the next), and of one command pipelined 16 at a time. */
async function roundTripCost(url: string) {
  const redis = new Redis(url);
  await redis.ping();
  const n = 20_000;
  const measure = async (run: () => Promise<void>) => {
    const cpu0 = process.cpuUsage();
    await run();
    const cpu = process.cpuUsage(cpu0);
    return Number(((cpu.user + cpu.system) / n).toFixed(1));
  };
  const sequentialUs = await measure(async () => {
    for (let i = 0; i < n; i++) await redis.ping();
  });
  const pipelined16Us = await measure(async () => {
    for (let i = 0; i < n; i += 16) {
      const pipeline = redis.pipeline();
      for (let j = 0; j < 16; j++) pipeline.ping();
      await pipeline.exec();
    }
  });
  redis.disconnect();
  return { sequentialUs, pipelined16Us };
}

const server = await startTestRedis({ forceSpawn: true });
const admin = new Redis(server.url);
const results = [];
let roundTrip: Awaited<ReturnType<typeof roundTripCost>> | undefined;
try {
  roundTrip = await roundTripCost(server.url);
  console.log(
    `a Redis round trip: ${roundTrip.sequentialUs} µs of client CPU awaited one by one, ${roundTrip.pipelined16Us} µs pipelined 16 at a time`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const mode of round % 2 === 1
      ? (['bullmq', 'ready-list'] as const)
      : (['ready-list', 'bullmq'] as const)) {
      const r = await runOnce(mode, server.url, admin, round);
      results.push(r);
      console.log(
        `${r.mode.padEnd(10)} round ${round}: ${r.drainsPerSec} drains/s, client CPU ${r.clientCpuUsPerDrain} µs/drain, Redis CPU ${r.redisCpuUsPerDrain} µs/drain, ${r.commandsPerDrain} commands/drain (${r.scriptCallsPerDrain} script calls)`,
      );
    }
  }
} finally {
  admin.disconnect();
  await server.close();
}
if (out)
  await writeFile(
    out,
    `${JSON.stringify({ drains, rounds, roundTrip, concurrency: CONCURRENCY, outstanding: OUTSTANDING, perCall: PER_CALL, results }, null, 2)}\n`,
  );
