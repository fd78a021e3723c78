import { NodeProcess } from '@baton/testing';
import { type ProcUsage, readProcUsage } from './proc-usage.ts';

/**
 * A measured service process: the workspace's one launcher (`NodeProcess` of @baton/testing, which runs `node`
 * itself, so `pid` is the real process whose /proc usage is read), started at once and never restarted.
 * Compiled JavaScript runs as it is (`node --enable-source-maps <entry.js>`), a TypeScript source through tsx.
 */
export interface ChildService {
  readonly label: string;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  isAlive(): boolean;
  /** Last lines of stdout/stderr, for diagnostics. */
  output(): string;
  usage(): ProcUsage | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function spawnService(
  label: string,
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ChildService {
  // The child's config comes only from this env (plus PATH/HOME for tooling), not from the bench's shell.
  const proc = new NodeProcess({
    name: label,
    entry,
    nodeArgs,
    env: { NODE_ENV: 'production', ...env },
    keepLines: 60,
  });
  proc.start();
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not spawn ${label} (${entry})`);
  return {
    label,
    pid,
    exited: proc.exited().then((exit) => exit.code),
    isAlive: () => proc.running,
    output: () => proc.output(),
    usage: () => readProcUsage(pid),
    stop: async (graceMs = 6_000) => {
      await proc.stop(graceMs);
    },
    kill: async () => {
      await proc.kill();
    },
  };
}
