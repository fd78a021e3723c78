import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Repository root (test/support/../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The repository's tsx loader, by URL: the CLI may run in a folder (a temporary project) that has no tsx. */
const TSX = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

/** The `baton` CLI from its sources, as the repository's `pnpm dev` runs it (from any folder). */
export const BATON_CLI = [
  '--conditions=@baton/source',
  '--import',
  TSX,
  join(REPO_ROOT, 'services/worker/src/cli/baton.ts'),
];

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** One `baton dev` process with its own BATON_HOME, key prefix and free ports, and no .env. */
export interface BatonDevChild {
  readonly home: string;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The value of a `  <label>  <value>` line of the ready banner (undefined until the banner is printed). */
  bannerValue(label: string): string | undefined;
  waitFor<T>(
    what: string,
    probe: () => T | undefined | Promise<T | undefined>,
    timeoutMs: number,
  ): Promise<T>;
  /** PIDs of live processes whose environment carries this run's BATON_HOME (every child of the stack). */
  processesOfThisStack(): number[];
  /** SIGINT when still running (bounded wait), SIGKILL whatever is left, remove BATON_HOME. */
  cleanUp(): Promise<void>;
}

export function startBatonDev(opts: {
  args: readonly string[];
  /** The node arguments before `args` (default: the CLI from its sources, `BATON_CLI`). */
  cli?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}): BatonDevChild {
  const home = mkdtempSync(join(tmpdir(), 'baton-dev-'));
  const prefix = `dev-test-${process.pid}-${Date.now().toString(36)}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
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
  };
  // Exercise the stack's own redis-server when there is one; otherwise use the REDIS_URL given to the tests.
  if (hasRedisServer) delete env['REDIS_URL'];
  const child = spawn(process.execPath, [...(opts.cli ?? BATON_CLI), ...opts.args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<Exit>((r) => child.once('exit', (code, signal) => r({ code, signal })));

  const processesOfThisStack = (): number[] => {
    const marker = `BATON_HOME=${home}\0`;
    const found: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
      } catch {
        // gone, or not ours
      }
    }
    return found;
  };

  return {
    home,
    child,
    exited,
    output: () => output,
    bannerValue(label) {
      const at = output.indexOf('Baton is up.');
      if (at < 0) return undefined;
      const m = new RegExp(`\\|\\s+${label}\\s+(\\S.*)$`, 'm').exec(output.slice(at));
      return m?.[1]?.trim();
    },
    async waitFor(what, probe, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (child.exitCode !== null || child.signalCode !== null) {
          const how = child.signalCode ?? `code ${child.exitCode}`;
          throw new Error(
            `baton dev exited (${how}) while waiting for ${what}; output:\n${output.slice(-4000)}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}; output so far:\n${output.slice(-4000)}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    processesOfThisStack,
    async cleanUp() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      }
      for (const pid of processesOfThisStack()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
