import { z } from 'zod';
import { TraceCarrierSchema } from '../tracing/trace-carrier.ts';

/** Version of the Redis payloads exchanged between the ingester and the workers (mailbox entries, jobs). */
export const QUEUE_CONTRACT_VERSION = 1;

/** One mailbox entry: a raw feed event with its per-stream sequence number. */
export const QueuedEventSchema = z.object({
  v: z.literal(1).describe('queue contract version'),
  key: z.string().min(1).describe('dedup key of the event (eventKey())'),
  streamId: z.string().min(1).describe('ordering key: the mailbox this entry sits in'),
  seq: z.number().int().positive().describe('per-stream sequence number, strictly increasing'),
  receivedAt: z.number().int().nonnegative().describe('when the ingester read it (ms since epoch)'),
  ts: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "the event's own timestamp (V4Event.timestamp, ms): orders a late-arriving older event before newer pending ones and flags it late once newer ones were handled. Added in contract v1 as an optional field (a compatible change: entries without it are appended and never flagged; readers that do not know it ignore it)",
    ),
  trace: TraceCarrierSchema.optional().describe(
    "the W3C trace context of the ingester's span for this event, when tracing is on: the worker continues the trace. Added in contract v1 as an optional field (a compatible change)",
  ),
  event: z
    .unknown()
    .describe(
      'the raw V4Event JSON; the worker parses it again (parseEvent) before use: Redis is a trust boundary',
    ),
});
export type QueuedEvent = z.infer<typeof QueuedEventSchema>;
