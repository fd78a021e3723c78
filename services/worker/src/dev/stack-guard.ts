import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The guard's program (plain JavaScript for `node -e`): reads `+ <pid> <phase>`, `- <pid>` and `release` lines
 * on stdin. When stdin ends without `release` (the orchestrator died, however: SIGKILL, a crash, a closed
 * terminal), it stops every process group it was told about, phase by phase (Baton's services, then the
 * simulator and market data, then Redis): SIGTERM, then SIGKILL to what is left after `graceMs`.
 */
const GUARD_PROGRAM = `
const graceMs = Number(process.argv[1]);
const groups = new Map();
let released = false;
let buffer = '';
for (const s of ['SIGINT', 'SIGHUP']) process.on(s, () => {});
const alive = (pid) => { try { process.kill(-pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const signal = (pid, sig) => { try { process.kill(-pid, sig); } catch {} };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function reap() {
  if (released) process.exit(0);
  for (const phase of [2, 1, 0]) {
    const members = [...groups].filter(([, p]) => p === phase).map(([pid]) => pid);
    for (const pid of members) signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (members.some(alive) && Date.now() < deadline) await sleep(100);
    for (const pid of members) if (alive(pid)) signal(pid, 'SIGKILL');
  }
  process.exit(0);
}
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    const [op, pid, phase] = buffer.slice(0, at).split(' ');
    buffer = buffer.slice(at + 1);
    if (op === '+') groups.set(Number(pid), Number(phase));
    else if (op === '-') groups.delete(Number(pid));
    else if (op === 'release') released = true;
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
`;

export interface StackGuard {
  /** The guard's pid (it carries the orchestrator's environment, BATON_HOME included). */
  readonly pid: number | undefined;
  /** A process group to stop if the orchestrator dies: `phase` 2 (Baton) first, then 1, then 0 (Redis). */
  add(pid: number, phase: 0 | 1 | 2): void;
  /** That group is gone (it exited, or was stopped on purpose). */
  remove(pid: number): void;
  /** The stack stopped on its own: the guard exits without touching anything; resolves once it has. */
  release(): Promise<void>;
}

/**
 * Starts the stack's guard: a small detached Node process (its own session, so neither a terminal's Ctrl-C nor
 * its hang-up reaches it) holding a pipe from the orchestrator. The kernel closes that pipe whenever the
 * orchestrator dies, even by SIGKILL, and the guard then stops every process the orchestrator had started:
 * nothing is orphaned, no port stays taken. Redis is why it exists (redis-server cannot watch its parent); the
 * Node services also watch their orchestrator themselves (`watchParent` in @baton/shared).
 */
export function startStackGuard(opts: {
  graceMs: number;
  env: Readonly<Record<string, string | undefined>>;
}): StackGuard {
  const child: ChildProcess = spawn(process.execPath, ['-e', GUARD_PROGRAM, String(opts.graceMs)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
    env: opts.env as NodeJS.ProcessEnv,
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  const stdin = child.stdin;
  stdin?.on('error', () => {
    // The guard is gone: nothing to tell it any more.
  });
  const send = (line: string): void => {
    if (stdin && !stdin.destroyed && stdin.writable) stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid,
    add: (pid, phase) => send(`+ ${pid} ${phase}`),
    remove: (pid) => send(`- ${pid}`),
    async release() {
      send('release');
      stdin?.end();
      // Waited for (ref'd): the orchestrator exits after its guard.
      child.ref();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
      clearTimeout(timer);
    },
  };
}
