import { z } from 'zod';

/** Data of a dead-letter job: an event that failed for good, at ingest (invalid) or in a handler. */
export const DeadLetterSchema = z.object({
  v: z.literal(1),
  stage: z.enum(['ingest', 'handle']),
  reason: z.string(),
  streamId: z.string().optional(),
  key: z.string().optional(),
  raw: z.unknown(),
  /** The final error, as `serializeError` gives it (`code`: a BatonError's, see docs/errors.md). */
  error: z
    .object({
      name: z.string(),
      message: z.string(),
      code: z.string().optional(),
      stack: z.string().optional(),
    })
    .optional(),
  attempts: z.number().int().nonnegative().optional(),
  failedAt: z.number().int().nonnegative(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
