import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What a running `baton dev` stack records in BATON_HOME/stack.json: where its Redis is, its key prefix, its ports
 * and the pids of its processes. Written when the stack is up, removed when it stops; read by `baton dlq` (when
 * REDIS_URL is unset) and by a second `baton dev`, which uses the pids to say what is still running.
 */
export const StackRecordSchema = z.object({
  v: z.literal(1),
  /** Pid of the `baton dev` orchestrator. */
  pid: z.number().int().positive(),
  startedAt: z.number().int().nonnegative(),
  redisUrl: z.string().min(1),
  prefix: z.string().min(1),
  /** Named ports of the stack (sim, dashboard, marketData, ops, redis …). */
  ports: z.record(z.string(), z.number().int().nonnegative()),
  /** Pids of the processes the orchestrator started, by process name (ingester, worker-1, redis …). */
  pids: z.record(z.string(), z.number().int().positive()),
  /** BATON_STACK_ID of the run (in every child's environment: tells a live child from a reused pid). */
  stackId: z.string().min(1).optional(),
  /** Pid of the stack's guard (it stops the children when the orchestrator dies). */
  guardPid: z.number().int().positive().optional(),
});
export type StackRecord = z.infer<typeof StackRecordSchema>;

export const STACK_RECORD_FILE = 'stack.json';

export function stackRecordPath(batonHome: string): string {
  return join(batonHome, STACK_RECORD_FILE);
}

/** Writes the record atomically (temp file + rename), creating BATON_HOME when needed. */
export async function writeStackRecord(batonHome: string, record: Omit<StackRecord, 'v'>): Promise<void> {
  await mkdir(batonHome, { recursive: true });
  const path = stackRecordPath(batonHome);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(StackRecordSchema.parse({ v: 1, ...record }), null, 2)}\n`, 'utf8');
  await rename(tmp, path);
}

/** The record in BATON_HOME, or undefined when there is none or it is unreadable (a stale or foreign file). */
export async function readStackRecord(batonHome: string): Promise<StackRecord | undefined> {
  let text: string;
  try {
    text = await readFile(stackRecordPath(batonHome), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = StackRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function removeStackRecord(batonHome: string): Promise<void> {
  await rm(stackRecordPath(batonHome), { force: true });
}
