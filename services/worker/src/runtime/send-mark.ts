import { defineScript } from '@baton/shared';
import type { Cluster, Redis } from 'ioredis';

/**
 * The mark of one side effect sent at most once (a reply, a message update): `started` before the call, `done`
 * with the message id after it. Kept in one Redis key per effect.
 */
export interface SendMark {
  state: 'started' | 'done';
  at: number;
  /** The message the effect produced, once done. */
  messageId?: string;
  timestamp?: number;
}

/**
 * Marks the effect `started` unless it is already `done` (one key, atomic): a late or deposed sender can never
 * turn a finished effect back into an unfinished one. Returns the mark that was there (or nil) so the caller can
 * decide. KEYS[1] the mark, ARGV[1] the `started` mark, ARGV[2] its TTL (s).
 */
const BEGIN_SEND_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur and string.find(cur, '"state":"done"', 1, true) then return cur end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return cur
`;

/** A stored mark, or undefined when there is none or it is unreadable (treated as no mark). */
function parseSendMark(raw: string | null): SendMark | undefined {
  if (raw === null) return undefined;
  try {
    const m = JSON.parse(raw) as SendMark;
    return m && (m.state === 'started' || m.state === 'done') ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The marks of one kind of effect (replies, updates): one key each, kept `ttlSec`. */
export interface SendMarks {
  /** The mark at `key`, if any. */
  read(key: string): Promise<SendMark | undefined>;
  /** Marks the effect `started` at `at` unless it is `done` (atomic); resolves the mark that was there. */
  begin(key: string, at: number): Promise<SendMark | undefined>;
  /** Marks the effect `done`: when it started, and the message it produced. */
  done(key: string, mark: Omit<SendMark, 'state'>): Promise<void>;
}

/** The marks of one kind of effect, `begin` through the script `scriptName` (one per kind). */
export function createSendMarks(
  redis: Redis | Cluster,
  opts: { scriptName: string; ttlSec: number },
): SendMarks {
  const beginScript = defineScript(redis, opts.scriptName, BEGIN_SEND_LUA);
  return {
    async read(key) {
      return parseSendMark(await redis.get(key));
    },
    async begin(key, at) {
      const started = JSON.stringify({ state: 'started', at } satisfies SendMark);
      return parseSendMark((await beginScript(1, key, started, String(opts.ttlSec))) as string | null);
    },
    async done(key, mark) {
      await redis.set(key, JSON.stringify({ state: 'done', ...mark } satisfies SendMark), 'EX', opts.ttlSec);
    },
  };
}
