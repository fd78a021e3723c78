import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createSimulator, type SimMessage, type Simulator } from '@baton/pod-simulator';
import { createLogger } from '@baton/shared';
import { uniquePrefix } from '@baton/shared/testing';
import { Redis } from 'ioredis';
// The ingester is another workspace package the worker does not depend on: the e2e stack loads it by path.
import {
  createIngester,
  type Ingester,
  loadConfig as loadIngesterConfig,
} from '../../../../ingester/src/index.ts';

const ROOT = resolve(import.meta.dirname, '../../../../..');
export const WORKER_ENTRIES = {
  reference: 'services/worker/src/main.ts',
  scripted: 'services/worker/src/runtime/testing/scripted-worker-main.ts',
} as const;

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** Last lines of its stdout/stderr (for failure messages). */
  output: () => string;
  exited: Promise<number | null>;
}

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
  spawnWorker(id: string, extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  workers: Map<string, WorkerProcess>;
  close(): Promise<void>;
}

export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  diag?: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${diag ? `\n${diag()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Simulator + real ingester (in-process) + worker processes (spawned on demand), on the given Redis. */
export async function startE2EStack(opts: {
  redisUrl: string;
  entry?: keyof typeof WORKER_ENTRIES;
  workerEnv?: Record<string, string>;
  ingesterEnv?: Record<string, string>;
}): Promise<E2EStack> {
  const sim = await createSimulator({ longPollMs: 2_000, redeliveryMs: 5_000 });
  const kp = sim.control.generateKeyPair();
  const botName = 'baton-bot';
  const bot = {
    userId: sim.control.createUser({
      username: botName,
      displayName: 'Baton',
      publicKeyPem: kp.publicKeyPem,
      bot: true,
    }).userId,
    username: botName,
  };
  const alice = {
    userId: sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId,
    username: 'alice',
  };
  const prefix = uniquePrefix('e2e');
  const env: Record<string, string> = {
    SYMPHONY_POD_URL: sim.url,
    SYMPHONY_BOT_USERNAME: botName,
    SYMPHONY_PRIVATE_KEY: kp.privateKeyPem,
    REDIS_URL: opts.redisUrl,
    BATON_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
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

  const workers = new Map<string, WorkerProcess>();
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
      // node itself (not the tsx CLI, whose wrapper would survive a SIGKILL of it and leave the worker running).
      const child = spawn(process.execPath, ['--conditions=@baton/source', '--import', 'tsx', entry], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          BOT_MODULE: '@baton/reference-bot',
          WORKER_ID: id,
          OPS_PORT: '-1',
          ...opts.workerEnv,
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: string[] = [];
      const keep = (b: Buffer) => {
        lines.push(...b.toString().split('\n').filter(Boolean));
        if (lines.length > 40) lines.splice(0, lines.length - 40);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
      const proc: WorkerProcess = { id, child, output: () => lines.join('\n'), exited };
      workers.set(id, proc);
      let dead = false;
      void exited.then(() => {
        dead = true;
      });
      await waitFor(
        `worker ${id} heartbeat`,
        async () => {
          if ((await redis.exists(`${prefix}:workers:${id}`)) === 1) return true;
          if (dead) throw new Error(`worker ${id} exited before it started:\n${proc.output()}`);
          return false;
        },
        30_000,
      );
      return proc;
    },
    async close() {
      for (const w of workers.values()) {
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      }
      await Promise.all([...workers.values()].map((w) => w.exited));
      await ingester.stop(2_000).catch(() => {});
      await sim.close();
      await redis.quit();
    },
  };
}
