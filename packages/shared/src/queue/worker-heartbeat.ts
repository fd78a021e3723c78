import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Version of the heartbeat format; a reader ignores beats of a version it does not know.
 * v1 grew, compatibly, the optional `bot.version` and `latency` fields: a reader from before ignores them (zod
 * strips unknown keys), and a beat from before (without them) still parses.
 */
export const WORKER_HEARTBEAT_VERSION = 1;

/** Upper bounds (ms) of the reply-latency buckets workers count in their heartbeats (plus one overflow bucket). */
export const REPLY_LATENCY_BOUNDS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000,
];

/**
 * Reply latency as a worker counts it since it started: from when the ingester received an event to the end of
 * the handler attempt that succeeded (its replies posted). `counts[i]` = events with latency ≤ `boundsMs[i]` and
 * above the bound before; the last count (one more than the bounds) is everything above the last bound. Counters
 * only grow, so readers take differences between two beats, and can add up several workers' buckets.
 */
export const LatencyBucketsSchema = z
  .object({
    boundsMs: z.array(z.number().positive()).min(1),
    counts: z.array(z.number().int().min(0)),
  })
  .refine((l) => l.counts.length === l.boundsMs.length + 1, 'counts must have one more entry than boundsMs');
export type LatencyBuckets = z.infer<typeof LatencyBucketsSchema>;

/** Which bot a worker runs: its id and a fingerprint of its command set (same commands ⇒ same fingerprint). */
export const BotIdentitySchema = z.object({
  id: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  commands: z.number().int().min(0),
  /** The bot's version (`createBot({ version })`), when it tells. Optional (added within v1). */
  version: z.string().min(1).optional(),
});
export type BotIdentityBeat = z.infer<typeof BotIdentitySchema>;

/**
 * The JSON a worker writes to `<prefix>:workers:<id>` (with a TTL of three intervals) and the dashboard and
 * other workers read: who it is, which bot it runs, and live counters.
 */
export const WorkerHeartbeatSchema = z.object({
  v: z.literal(WORKER_HEARTBEAT_VERSION),
  id: z.string().min(1),
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.number(),
  beatAt: z.number(),
  concurrency: z.number().int().min(1),
  bot: BotIdentitySchema,
  /** Live counters (events handled, …). */
  stats: z.record(z.string(), z.number()),
  /** Reply-latency buckets since the worker started. Optional (added within v1). */
  latency: LatencyBucketsSchema.optional(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeatSchema>;

/** Parses one heartbeat value; null when it is not JSON or not of this version. */
export function parseWorkerHeartbeat(raw: string | null): WorkerHeartbeat | null {
  if (raw === null) return null;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = WorkerHeartbeatSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** 12 hex characters of sha256 over the sorted command patterns. */
export function botFingerprint(commandPatterns: readonly string[]): string {
  return createHash('sha256')
    .update([...commandPatterns].sort().join('\n'))
    .digest('hex')
    .slice(0, 12);
}
