import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type NodeExit,
  NodeProcess,
  nodeFlagsFor,
  processesWithEnv,
  type Truthy,
  WORKSPACE_ROOT,
  waitFor,
} from '@baton/testing';

/** Repository root. */
export const REPO_ROOT = WORKSPACE_ROOT;

const CLI_SOURCE = join(REPO_ROOT, 'services/worker/src/cli/baton.ts');

/** The `baton` CLI from its sources, as the repository's `pnpm dev` runs it (from any folder): node's arguments. */
export const BATON_CLI = [...nodeFlagsFor(CLI_SOURCE), CLI_SOURCE];

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** One `baton dev` process with its own BATON_HOME, key prefix and free ports, and no .env. */
export interface BatonDevChild {
  readonly home: string;
  /** The `baton dev` process itself. */
  readonly cli: NodeProcess;
  readonly exited: Promise<NodeExit>;
  /** Everything it printed so far (stdout and stderr lines, stderr ones prefixed `[stderr] `). */
  output(): string;
  /** The value of a `  <label>  <value>` line of the ready banner (undefined until the banner is printed). */
  bannerValue(label: string): string | undefined;
  /** `waitFor` of @baton/testing that gives up at once when `baton dev` has exited, and shows its output. */
  waitFor<T>(
    what: string,
    probe: () => T | undefined | Promise<T | undefined>,
    timeoutMs: number,
  ): Promise<Truthy<T>>;
  /** PIDs of live processes whose environment carries this run's BATON_HOME (every child of the stack). */
  processesOfThisStack(): number[];
  /** SIGINT when still running (bounded wait), SIGKILL whatever is left, remove BATON_HOME (unless shared). */
  cleanUp(): Promise<void>;
}

export function startBatonDev(opts: {
  args: readonly string[];
  /** The CLI script (default: its source, as BATON_CLI runs it), e.g. a project's installed bin/baton.js. */
  entry?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * BATON_HOME and BATON_PREFIX to share with another run (a second start on the same home); the caller removes
   * the folder. Default: a new temporary folder and prefix, removed by cleanUp.
   */
  shared?: { home: string; prefix: string };
}): BatonDevChild {
  const home = opts.shared?.home ?? mkdtempSync(join(tmpdir(), 'baton-dev-'));
  const prefix = opts.shared?.prefix ?? `dev-test-${process.pid}-${Date.now().toString(36)}`;
  const cli = new NodeProcess({
    name: 'baton dev',
    entry: opts.entry ?? CLI_SOURCE,
    args: opts.args,
    cwd: opts.cwd ?? REPO_ROOT,
    inheritEnv: true,
    keepLines: Number.POSITIVE_INFINITY,
    env: {
      BATON_HOME: home,
      BATON_ENV_FILE: join(home, 'no-such.env'),
      BATON_PREFIX: prefix,
      START_REDIS_PORT: '0',
      SIM_PORT: '0',
      DASHBOARD_PORT: '0',
      MARKET_DATA_PORT: '0',
      OPS_PORT: '0',
      LOG_LEVEL: 'warn',
      START_LOG_FORMAT: 'pretty',
      START_HEALTH_TIMEOUT_MS: '45000',
      START_STOP_TIMEOUT_MS: '8000',
      START_ON_CRASH: 'exit',
      SYMPHONY_POD_URL: undefined,
      BOT_MODULE: undefined,
      WORKERS: undefined,
      BATON_DEV_SOURCES: undefined,
      // pnpm's, when the tests run under pnpm: relative paths then resolve against the cwd given here.
      INIT_CWD: undefined,
      NO_COLOR: '1',
      ...opts.env,
      // Exercise the stack's own redis-server when there is one; otherwise use the REDIS_URL given to the tests.
      ...(hasRedisServer ? { REDIS_URL: undefined } : {}),
    },
  });
  cli.start();
  const exited = cli.exited();
  const output = () => cli.output();
  const processesOfThisStack = (): number[] => processesWithEnv('BATON_HOME', home).map((p) => p.pid);

  return {
    home,
    cli,
    exited,
    output,
    bannerValue(label) {
      const text = output();
      const at = text.indexOf('Baton is up.');
      if (at < 0) return undefined;
      const m = new RegExp(`\\|\\s+${label}\\s+(\\S.*)$`, 'm').exec(text.slice(at));
      return m?.[1]?.trim();
    },
    waitFor(what, probe, timeoutMs) {
      return waitFor(
        what,
        async () => {
          const value = await probe();
          if (value === undefined && !cli.running) {
            const how = cli.exits.at(-1)?.signal ?? `code ${cli.exits.at(-1)?.code}`;
            throw new Error(
              `baton dev exited (${how}) while waiting for ${what}; output:\n${output().slice(-4000)}`,
            );
          }
          return value;
        },
        timeoutMs,
        () => `output so far:\n${output().slice(-4000)}`,
      );
    },
    processesOfThisStack,
    async cleanUp() {
      if (cli.running) {
        await Promise.race([cli.kill('SIGINT'), sleep(15_000)]);
      }
      for (const pid of processesOfThisStack()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await cli.kill('SIGKILL');
      if (!opts.shared) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The `pids` line of the ready banner, by process name. */
export function bannerPids(dev: BatonDevChild): Record<string, number> {
  const line = dev.bannerValue('pids') ?? '';
  return Object.fromEntries([...line.matchAll(/([\w-]+)=(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]));
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface SimMessage {
  text: string;
  sender: { username: string };
}

/** The simulator's demo pod: alice's user id and the "Trading Desk" stream (shared with the bot). */
export async function tradingDesk(
  sim: string,
): Promise<{ aliceId: number; botId: number; streamId: string }> {
  const users = await getJson<{ userId: number; username: string }[]>(`${sim}/_sim/users`);
  const alice = users.find((u) => u.username === 'alice');
  const bot = users.find((u) => u.username === 'baton-bot');
  const streams = await getJson<{ streamId: string; name?: string; memberIds: number[] }[]>(
    `${sim}/_sim/streams`,
  );
  const desk = streams.find((s) => s.name === 'Trading Desk');
  if (!alice || !bot || !desk) throw new Error('the demo seed lacks alice, the bot or "Trading Desk"');
  return { aliceId: alice.userId, botId: bot.userId, streamId: desk.streamId };
}

/** alice posts `text` in the stream; resolves the bot's first message that `matches` afterwards. */
export async function askTheBot(
  dev: BatonDevChild,
  sim: string,
  desk: { aliceId: number; streamId: string },
  text: string,
  matches: (reply: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  const url = `${sim}/_sim/streams/${encodeURIComponent(desk.streamId)}/messages`;
  const before = (await getJson<SimMessage[]>(url)).length;
  await getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fromUserId: desk.aliceId, text }),
  });
  const reply = await dev.waitFor(
    `the bot's reply to ${text}`,
    async () =>
      (await getJson<SimMessage[]>(url))
        .slice(before)
        .find((m) => m.sender.username === 'baton-bot' && matches(m.text)),
    timeoutMs,
  );
  return reply.text.trim();
}
