import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** A live process found by its environment. */
export interface FoundProcess {
  pid: number;
  /** Its command line, for reports. */
  command: string;
}

/** Whether this system lists processes with their environment (Linux's /proc). */
export const canListProcesses = existsSync('/proc/self/environ');

/**
 * Every live process but this one whose environment holds `name=value`, from /proc (the environment a process
 * was started with, so a marker survives re-parenting, process groups and wrappers that exit). An exited but
 * unreaped process (a zombie) has no environment left: it is not listed. Empty where /proc is missing.
 */
export function processesWithEnv(name: string, value: string): FoundProcess[] {
  if (!canListProcesses) return [];
  const marker = `\0${name}=${value}\0`;
  const found: FoundProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!`\0${environ}\0`.includes(marker)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
