import { NodeProcess } from '@baton/testing';

/** Busy-loop processes beside the stack under test: a host whose CPUs other work wants too. */
export interface CpuHog {
  readonly processes: number;
  stop(): Promise<void>;
}

// A tight loop that never yields: each process wants a whole core for as long as it runs.
const BUSY_LOOP = 'bench/src/harness/busy-loop-main.ts';

/** Starts `processes` busy loops at normal priority (the stack's processes compete with them as equals). */
export function startCpuHog(processes: number): CpuHog {
  const hogs: NodeProcess[] = [];
  for (let i = 0; i < processes; i++) {
    const hog = new NodeProcess({ name: `cpu-hog-${i + 1}`, entry: BUSY_LOOP, env: {} });
    hog.start();
    hogs.push(hog);
  }
  return {
    processes,
    stop: async () => {
      await Promise.all(hogs.map((h) => h.kill()));
    },
  };
}
