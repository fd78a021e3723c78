import type { Cluster, Redis } from 'ioredis';

/** "This event was fully handled" marks, keyed as the ingester keys events; set before the mailbox ack. */
export interface ProcessedMarks {
  has(eventKey: string): Promise<boolean>;
  mark(eventKey: string, outcome: 'handled' | 'dead-lettered' | 'skipped'): Promise<void>;
}

export function createProcessedMarks(
  redis: Redis | Cluster,
  opts: { keyOf: (eventKey: string) => string; ttlSec: number },
): ProcessedMarks {
  return {
    async has(eventKey) {
      return (await redis.exists(opts.keyOf(eventKey))) === 1;
    },
    async mark(eventKey, outcome) {
      await redis.set(opts.keyOf(eventKey), outcome, 'EX', opts.ttlSec);
    },
  };
}
