import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `pnpm start` end to end: the real orchestrator (scripts/start.ts) with every port picked free, its own
// BATON_HOME and key prefix, no .env. It must come up, answer a chat message, and leave nothing behind on SIGINT.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = mkdtempSync(join(tmpdir(), 'baton-start-'));
const prefix = `start-test-${process.pid}-${Date.now().toString(36)}`;
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

let child: ChildProcess | undefined;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; output so far:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
}

function bannerValue(label: string): string | undefined {
  const at = output.indexOf('Baton is up.');
  if (at < 0) return undefined;
  const m = new RegExp(`\\|\\s+${label}\\s+(\\S.*)$`, 'm').exec(output.slice(at));
  return m?.[1]?.trim();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PIDs of live processes whose environment carries BATON_HOME=<this test's home> (every child of the stack). */
function processesOfThisStack(): number[] {
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
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(() => {
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
    NO_COLOR: '1',
  };
  // Exercise the orchestrator's own redis-server when there is one; otherwise use the REDIS_URL given to the tests.
  if (hasRedisServer) delete env['REDIS_URL'];
  child = spawn(
    process.execPath,
    ['--conditions=@baton/source', '--import', 'tsx', join(root, 'scripts/start.ts')],
    {
      cwd: root,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const c = child;
  exited = new Promise((r) => c.once('exit', (code, signal) => r({ code, signal })));
});

afterAll(async () => {
  // Only when a test failed half-way: never leave the stack running.
  if (child && child.exitCode === null && child.signalCode === null) {
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
});

describe.skipIf(!hasRedisServer && !process.env['REDIS_URL'])('pnpm start (scripts/start.ts)', () => {
  it('brings the stack up, answers @bot /echo through the simulator, and stops everything on SIGINT', async () => {
    const simControl = await waitFor('the ready banner', () => bannerValue('sim control'), 55_000);
    const sim = simControl.replace(/\/_sim$/, '');
    const pidLine = bannerValue('pids') ?? '';
    const pids = Object.fromEntries(
      [...pidLine.matchAll(/([\w-]+)=(\d+)/g)].map((m) => [m[1] as string, Number(m[2])]),
    );
    expect(Object.keys(pids).sort()).toEqual(
      (hasRedisServer ? ['redis'] : [])
        .concat(['dashboard', 'ingester', 'market-data', 'pod-simulator', 'worker-1', 'worker-2'])
        .sort(),
    );
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    expect(bannerValue('chat page')).toBe(`${sim}/`);
    expect(bannerValue('dashboard')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // Each service's /metrics answers with Prometheus text.
    for (const name of ['ingester', 'worker-1', 'worker-2']) {
      const url = bannerValue(`${name} metrics`);
      expect(url).toBeDefined();
      const res = await fetch(url as string);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/# TYPE /);
    }

    // The demo seed: alice and the bot share "Trading Desk".
    const users = await getJson<{ userId: number; username: string }[]>(`${sim}/_sim/users`);
    const alice = users.find((u) => u.username === 'alice');
    const bot = users.find((u) => u.username === 'baton-bot');
    expect(alice && bot).toBeTruthy();
    const streams = await getJson<{ streamId: string; name?: string; memberIds: number[] }[]>(
      `${sim}/_sim/streams`,
    );
    const desk = streams.find((s) => s.name === 'Trading Desk');
    expect(desk?.memberIds).toEqual(expect.arrayContaining([alice?.userId, bot?.userId]));
    const streamId = desk?.streamId as string;

    const words = `hello from the start test ${Date.now()}`;
    await getJson(`${sim}/_sim/streams/${encodeURIComponent(streamId)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fromUserId: alice?.userId, text: `@baton-bot /echo ${words}` }),
    });
    const reply = await waitFor(
      "the bot's echo",
      async () => {
        const messages = await getJson<{ text: string; sender: { username: string } }[]>(
          `${sim}/_sim/streams/${encodeURIComponent(streamId)}/messages`,
        );
        return messages.find((m) => m.sender.username === 'baton-bot' && m.text.includes(words));
      },
      20_000,
    );
    expect(reply.text.trim()).toBe(words);

    // Ctrl-C: everything stops, in order, and the orchestrator exits 0.
    child?.kill('SIGINT');
    const exit = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit after SIGINT:\n${output.slice(-3000)}`)), 25_000),
      ),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/\| stopped$/m);
    for (const [name, pid] of Object.entries(pids))
      expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
    expect(processesOfThisStack()).toEqual([]);
  }, 90_000);
});
