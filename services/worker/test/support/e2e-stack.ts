import { createIngester, type Ingester, loadConfig as loadIngesterConfig } from '@baton/ingester';
import {
  createSimulator,
  type SimMessage,
  type Simulator,
  type SimulatorOptions,
} from '@baton/pod-simulator';
import { createLogger, workerKeys } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { createSimBotUser, NodeProcess, waitFor } from '@baton/testing';
import { Redis } from 'ioredis';

export const WORKER_ENTRIES = {
  reference: 'services/worker/src/main.ts',
  scripted: 'services/worker/test/support/scripted-worker-main.ts',
} as const;

export interface E2EStack {
  sim: Simulator;
  redis: Redis;
  prefix: string;
  bot: { userId: number; username: string };
  alice: { userId: number; username: string };
  ingester: Ingester;
  /** Env every worker process gets (Symphony, Redis, prefix). */
  env: Record<string, string>;
  room(name: string, memberIds?: number[]): string;
  say(streamId: string, text: string, fromUserId?: number): void;
  /** Messages the bot posted in a stream (simulator view). */
  botMessages(streamId: string): SimMessage[];
  /** Starts worker process `id` (the launcher's name) and waits for its heartbeat. */
  spawnWorker(id: string, extraEnv?: Record<string, string>): Promise<NodeProcess>;
  workers: Map<string, NodeProcess>;
  /** SIGKILLs every worker process, stops the ingester and the simulator. */
  close(): Promise<void>;
}

export interface E2EStackOptions {
  redisUrl: string;
  entry?: keyof typeof WORKER_ENTRIES;
  workerEnv?: Record<string, string>;
  ingesterEnv?: Record<string, string>;
  /** Extra simulator options (e.g. `certAuth`). */
  sim?: SimulatorOptions;
}

/** Simulator + real ingester (in-process) + worker processes (spawned on demand), on the given Redis. */
export async function startE2EStack(opts: E2EStackOptions): Promise<E2EStack> {
  const sim = await createSimulator({ longPollMs: 2_000, redeliveryMs: 5_000, ...opts.sim });
  const { privateKeyPem, ...bot } = createSimBotUser(sim.control, 'baton-bot', 'Baton');
  const alice = {
    userId: sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId,
    username: 'alice',
  };
  const prefix = uniquePrefix('e2e');
  const env: Record<string, string> = {
    SYMPHONY_POD_URL: sim.url,
    SYMPHONY_BOT_USERNAME: bot.username,
    SYMPHONY_PRIVATE_KEY: privateKeyPem,
    REDIS_URL: opts.redisUrl,
    BATON_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // a test may stop Redis: its reconnects are not unhandled errors
  const logger = createLogger({ level: 'warn', name: 'e2e-ingester' });
  const ingester = createIngester(
    loadIngesterConfig({
      ...env,
      OPS_PORT: '0',
      OPS_HOST: '127.0.0.1',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_AGE_MS: '3000',
      READ_TIMEOUT_MS: '10000',
      ...opts.ingesterEnv,
    }),
    { logger },
  );
  await ingester.start();

  const workers = new Map<string, NodeProcess>();
  const entry = WORKER_ENTRIES[opts.entry ?? 'scripted'];

  return {
    sim,
    redis,
    prefix,
    bot,
    alice,
    ingester,
    env,
    workers,
    room(name, memberIds = [bot.userId, alice.userId]) {
      return sim.control.createStream({ type: 'ROOM', name, memberIds }).streamId;
    },
    say(streamId, text, fromUserId = alice.userId) {
      sim.control.sendMessage(streamId, { fromUserId, text });
    },
    botMessages(streamId) {
      return sim.control.listMessages(streamId).filter((m) => m.sender.userId === bot.userId);
    },
    async spawnWorker(id, extraEnv = {}) {
      const proc = new NodeProcess({
        name: id,
        entry,
        inheritEnv: true,
        keepLines: 40,
        env: {
          ...env,
          BOT_MODULE: '@baton/reference-bot',
          WORKER_ID: id,
          OPS_PORT: '-1',
          ...opts.workerEnv,
          ...extraEnv,
        },
      });
      workers.set(id, proc);
      proc.start();
      await waitFor(
        `worker ${id} heartbeat`,
        async () => {
          if ((await redis.exists(workerKeys(prefix).heartbeat(id))) === 1) return true;
          if (!proc.running) throw new Error(`worker ${id} exited before it started:\n${proc.output()}`);
          return false;
        },
        30_000,
      );
      return proc;
    },
    async close() {
      await Promise.all([...workers.values()].map((w) => w.kill('SIGKILL')));
      await ingester.stop(2_000).catch(() => {});
      await sim.close();
      await redis.quit();
    },
  };
}
