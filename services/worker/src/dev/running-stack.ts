import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readStackRecord, removeStackRecord, type StackRecord } from './stack-record.ts';

/** One process of an earlier run that still runs. */
export interface LiveProcess {
  name: string;
  pid: number;
  port: number | undefined;
}

/** What is left of an earlier `baton dev` of the same BATON_HOME. */
export interface RunningStack {
  record: StackRecord;
  /** Its orchestrator runs (another terminal has it), or it died and left `live` behind. */
  orchestratorAlive: boolean;
  live: LiveProcess[];
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: a /proc file of the process, NUL-separated; undefined where /proc is not there (macOS). */
function procFile(pid: number, file: 'environ' | 'cmdline'): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1').split('\0');
  } catch {
    return undefined;
  }
}

/** The pid is this run's child: alive and, where /proc tells, carrying the run's BATON_STACK_ID (not a reuse). */
function isChildOf(record: StackRecord, pid: number): boolean {
  if (!exists(pid)) return false;
  const environ = procFile(pid, 'environ');
  if (environ === undefined || record.stackId === undefined) return true;
  return environ.includes(`BATON_STACK_ID=${record.stackId}`);
}

function isOrchestrator(pid: number): boolean {
  if (pid === process.pid || !exists(pid)) return false;
  const cmdline = procFile(pid, 'cmdline');
  return cmdline === undefined || cmdline.some((arg) => /baton/.test(arg));
}

/**
 * The earlier run recorded in BATON_HOME/stack.json, when any of its processes still runs. A record whose
 * processes are all gone (a run that was SIGKILLed before it could remove it) is removed, and undefined returned.
 */
export async function findRunningStack(home: string): Promise<RunningStack | undefined> {
  const record = await readStackRecord(home);
  if (!record) return undefined;
  const live = Object.entries(record.pids)
    .filter(([, pid]) => isChildOf(record, pid))
    .map(([name, pid]) => ({ name, pid, port: record.ports[name] }));
  const orchestratorAlive = isOrchestrator(record.pid);
  if (!orchestratorAlive && live.length === 0) {
    await removeStackRecord(home);
    return undefined;
  }
  return { record, orchestratorAlive, live };
}

/** What still runs, for the message: one line per process, with its pid and port. */
export function describeRunningStack(running: RunningStack): string {
  const started = new Date(running.record.startedAt).toISOString();
  const lines = [
    running.orchestratorAlive
      ? `another baton dev (pid ${running.record.pid}, started ${started}) is running on this BATON_HOME:`
      : `a baton dev that died (pid ${running.record.pid}, started ${started}) left these processes running:`,
    ...running.live.map(
      (p) => `  ${p.name.padEnd(13)} pid ${p.pid}${p.port !== undefined ? `  port ${p.port}` : ''}`,
    ),
  ];
  return lines.join('\n');
}

/** How to stop it by hand (the message of a start that will not stop it). */
export function howToStop(running: RunningStack): string {
  return running.orchestratorAlive
    ? `Stop it first: Ctrl-C in its terminal, or kill ${running.record.pid} ` +
        '(or start with START_IF_RUNNING=stop to have this start stop it).'
    : `Stop them first: kill ${running.live.map((p) => p.pid).join(' ')} ` +
        '(or start with START_IF_RUNNING=stop to have this start stop them).';
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops an earlier run: its orchestrator (SIGTERM: it stops its processes in order, as on Ctrl-C) when it runs,
 * else each leftover process group (Baton's services and the simulator first, Redis last). Whatever is still
 * there after `timeoutMs` is SIGKILLed. Resolves the processes that would not go (empty: all stopped).
 */
export async function stopRunningStack(
  running: RunningStack,
  home: string,
  timeoutMs: number,
): Promise<string[]> {
  const signal = (pid: number, sig: NodeJS.Signals, group: boolean): void => {
    try {
      process.kill(group ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };
  const pending = (): LiveProcess[] => running.live.filter((p) => groupAlive(p.pid) || exists(p.pid));
  const waitGone = async (until: number, check: () => boolean): Promise<void> => {
    while (!check() && Date.now() < until) await sleep(100);
  };
  if (running.orchestratorAlive) {
    signal(running.record.pid, 'SIGTERM', false);
    await waitGone(
      Date.now() + timeoutMs + 5_000,
      () => !exists(running.record.pid) && pending().length === 0,
    );
  } else {
    const last = running.live.filter((p) => p.name === 'redis');
    const first = running.live.filter((p) => p.name !== 'redis');
    for (const group of [first, last]) {
      for (const p of group) signal(p.pid, 'SIGTERM', true);
      await waitGone(Date.now() + timeoutMs, () => group.every((p) => !groupAlive(p.pid) && !exists(p.pid)));
    }
  }
  for (const p of pending()) signal(p.pid, 'SIGKILL', true);
  if (running.orchestratorAlive && exists(running.record.pid)) signal(running.record.pid, 'SIGKILL', false);
  await sleep(200);
  const left = pending().map((p) => `${p.name} (pid ${p.pid})`);
  if (left.length === 0) await removeStackRecord(home);
  return left;
}
