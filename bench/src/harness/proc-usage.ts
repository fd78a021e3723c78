import { readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, from /proc (Linux). */
export interface ProcUsage {
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
  /**
   * Seconds the main thread spent runnable but waiting for a CPU (/proc/<pid>/schedstat, 2nd field): the
   * direct measure of CPU starvation when other work shares the machine.
   */
  runQueueWaitSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ is 100 on every Linux Node supports). */
const USER_HZ = 100;

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined when the process is gone (or not Linux). */
export function readProcUsage(pid: number): ProcUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const sched = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    const waitNs = Number(sched[1] ?? 0);
    return {
      cpuSeconds: (utime + stime) / USER_HZ,
      rssBytes: rssKb * 1024,
      runQueueWaitSeconds: Number.isFinite(waitNs) ? waitNs / 1e9 : 0,
    };
  } catch {
    return undefined;
  }
}
