import { z } from 'zod';

/** Data of a BullMQ "drain" job: drain the mailbox of one stream. */
export const DrainJobSchema = z.object({
  v: z.literal(1),
  streamId: z.string().min(1),
});
export type DrainJob = z.infer<typeof DrainJobSchema>;
