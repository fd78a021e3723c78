import { z } from 'zod';

/** Version of the Redis payloads exchanged between the ingester and the workers (mailbox entries, jobs). */
export const QUEUE_CONTRACT_VERSION = 1;

/** One mailbox entry: a raw feed event with its per-stream sequence number. */
export const QueuedEventSchema = z.object({
  v: z.literal(1).describe('queue contract version'),
  key: z.string().min(1).describe('dedup key of the event (eventKey())'),
  streamId: z.string().min(1).describe('ordering key: the mailbox this entry sits in'),
  seq: z.number().int().positive().describe('per-stream sequence number, strictly increasing'),
  receivedAt: z.number().int().nonnegative().describe('when the ingester read it (ms since epoch)'),
  event: z
    .unknown()
    .describe(
      'the raw V4Event JSON; the worker parses it again (parseEvent) before use: Redis is a trust boundary',
    ),
});
export type QueuedEvent = z.infer<typeof QueuedEventSchema>;
