import type { Redis } from 'ioredis';

/**
 * How many events the ingester has put into the mailboxes: the sum of the per-stream sequence counters
 * (`<prefix>:mb:{pN}:seq`, one HINCRBY per enqueued event) over every partition.
 */
export async function countEnqueued(redis: Redis, prefix: string, partitions: number): Promise<number> {
  const pipeline = redis.pipeline();
  for (let p = 0; p < partitions; p++) pipeline.hvals(`${prefix}:mb:{p${p}}:seq`);
  const results = (await pipeline.exec()) ?? [];
  let total = 0;
  for (const [err, values] of results) {
    if (err) throw err;
    for (const v of values as string[]) total += Number(v);
  }
  return total;
}
