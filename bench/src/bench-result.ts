import type { MachineInfo } from './harness/machine-info.ts';

/** Peak RSS and CPU use of one kind of process during a run. */
export interface ProcessUsage {
  /** Processes of this role (e.g. 4 workers). */
  processes: number;
  /** CPU seconds used during the measured window, summed over the processes. */
  cpuSeconds: number;
  /** Average cores used during the window (cpuSeconds / window seconds). */
  cpuCores: number;
  /** Highest RSS seen of any one process, MB. */
  peakRssMb: number;
  /** Seconds the processes' main threads waited for a CPU while runnable (CPU starvation), summed. */
  runQueueWaitSeconds: number;
}

/** Cost per event of a run: CPU milliseconds per event per role and summed, and Redis commands per event. */
export interface RunCost {
  /** CPU ms per answered event, by role (`ingester`, `workers`, `baseline`), and `total` over the stack's roles
   * (the simulator, the driver and a CPU hog are not the stack's). */
  cpuMsPerEvent: Record<string, number>;
  /** Baton only: every command Redis executed during the run (inner script commands included), per event. */
  redisCommandsPerEvent: number | null;
  /** Baton only: script invocations (EVALSHA …) per event. */
  redisScriptsPerEvent: number | null;
  /** Baton only: the busiest commands of the run, calls per event. */
  redisTopCommandsPerEvent: Record<string, number> | null;
}

/** One row of a scenario: what `bench/results/<scenario>.json` holds per variant. */
export interface BenchResult {
  scenario: string;
  variant: string;
  feedVersion: 'v1' | 'v2';
  events: number;
  streams: number;
  handlerMs: number;
  lost: number;
  duplicates: number;
  orderViolations: number;
  feedHighWater: number;
  feedExpired: number;
  feedRedelivered: number;
  /** Injection start → every event in Redis (Baton only; null for the inline loops, which have no queue). */
  ingestSeconds: number | null;
  /** Injection start → every reply posted; null when the cap was hit first. */
  drainSeconds: number | null;
  injectSeconds: number;
  capSeconds: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  /** Replies per second over the drain (or the cap when events were lost). */
  eventsPerSecond: number;
  usage: Record<string, ProcessUsage>;
  /** What each handled event cost: CPU per role and in total, Redis commands (see docs/benchmarks.md). */
  cost: RunCost;
  /** Scenario-specific figures (ingest/complete rates measured from Redis and reply times, ...). */
  extra: Record<string, unknown>;
  /** 1-minute load average at the start and end of the run (other work on the machine skews the figures). */
  loadAverage1m: { start: number; end: number };
  notes: string[];
}

export interface ScenarioFile {
  scenario: string;
  generatedAt: string;
  quick: boolean;
  machine: MachineInfo;
  /** The sizes this scenario ran with. */
  plan: unknown;
  results: BenchResult[];
  targets: unknown[];
}
