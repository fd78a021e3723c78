import type { Redis } from 'ioredis';

/** Calls per command since the Redis started (`INFO commandstats`), by lower-case command name. */
export async function readCommandStats(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const line of text.split('\n')) {
    // cmdstat_evalsha:calls=1234,usec=...,rejected_calls=0,failed_calls=0
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m?.[1] && m[2]) calls.set(m[1].toLowerCase(), Number(m[2]));
  }
  return calls;
}

/**
 * Commands the bench itself sends to the run's Redis (the mailbox probe's HVALS, these INFO calls): left out of
 * the pipeline's figures. Baton never sends either.
 */
const BENCH_OWN = new Set(['hvals', 'info']);

export interface CommandStatsDelta {
  /** Every command the Redis executed during the window, except the bench's own. Commands a Lua script runs are
   * counted by Redis as well (so one EVALSHA running 5 commands counts 6). */
  total: number;
  /** Script invocations (EVAL/EVALSHA/FCALL): each one round trip however many commands it runs. */
  scripts: number;
  /** The ten busiest commands of the window. */
  top: Record<string, number>;
}

export function commandStatsDelta(
  before: Map<string, number>,
  after: Map<string, number>,
): CommandStatsDelta {
  const delta: [string, number][] = [];
  for (const [name, n] of after) {
    if (BENCH_OWN.has(name)) continue;
    const d = n - (before.get(name) ?? 0);
    if (d > 0) delta.push([name, d]);
  }
  delta.sort((a, b) => b[1] - a[1]);
  const scriptNames = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
  return {
    total: delta.reduce((a, [, d]) => a + d, 0),
    scripts: delta.filter(([name]) => scriptNames.has(name)).reduce((a, [, d]) => a + d, 0),
    top: Object.fromEntries(delta.slice(0, 10)),
  };
}
