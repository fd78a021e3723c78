import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Version of the heartbeat format; a reader ignores beats of a version it does not know. */
export const WORKER_HEARTBEAT_VERSION = 1;

/** Which bot a worker runs: its id and a fingerprint of its command set (same commands ⇒ same fingerprint). */
export const BotIdentitySchema = z.object({
  id: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  commands: z.number().int().min(0),
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
