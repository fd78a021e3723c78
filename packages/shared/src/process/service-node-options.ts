/**
 * The Node flags every Baton service process starts with (docs/operations.md, "Process memory"): V8's young
 * generation capped at 2 MB per semi-space instead of 16, which took 24–28 MB off each service's idle RSS and
 * 15–45 MB off its peak in the quick steady bench, for more scavenges (measured: up to 10–20% more CPU per event,
 * within the runs' variation). Heap sizes are fixed when the process starts (a running process cannot change
 * them), so a launcher passes them, through `NODE_OPTIONS`: the Dockerfile (kept equal by a test), `baton dev`,
 * the bench.
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=2';

/**
 * `NODE_OPTIONS` for a service process: the defaults first, then the caller's own `NODE_OPTIONS`, whose flags win
 * (for V8's flags, the last one given counts), so `NODE_OPTIONS=--max-semi-space-size=16` restores V8's default.
 */
export function serviceNodeOptions(callerNodeOptions: string | undefined): string {
  const own = callerNodeOptions?.trim() ?? '';
  return own === '' ? SERVICE_NODE_OPTIONS : `${SERVICE_NODE_OPTIONS} ${own}`;
}
