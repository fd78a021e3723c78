import { type NodeExit, NodeProcess, type NodeProcessOptions } from './node-process.ts';

/** A finished run of a node process. */
export interface NodeRun extends NodeExit {
  stdout: string;
  stderr: string;
  /** Every output line, as `NodeProcess.lines` (stderr ones prefixed `[stderr] `). */
  lines: string[];
  /** Still running after the timeout: it was SIGKILLed. */
  timedOut: boolean;
}

/** Runs a node process to its end (a CLI, an entry that must refuse to start); SIGKILL after `timeoutMs`. */
export async function runNode(options: NodeProcessOptions, timeoutMs: number): Promise<NodeRun> {
  const proc = new NodeProcess({ keepLines: Number.POSITIVE_INFINITY, ...options });
  proc.start();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.kill('SIGKILL');
  }, timeoutMs);
  try {
    const exit = await proc.exited();
    return { ...exit, stdout: proc.stdout(), stderr: proc.stderr(), lines: [...proc.lines], timedOut };
  } finally {
    clearTimeout(timer);
  }
}
