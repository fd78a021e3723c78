/**
 * Redis reply codes (the first word of a `ReplyError`) that say Redis cannot serve the command right now, not that
 * the command is wrong: a Cluster slot without a reachable master (CLUSTERDOWN), a slot moving or a multi-key
 * command during a resharding (TRYAGAIN, MOVED, ASK), a node loading its dataset after a restart (LOADING), a
 * write to a demoted master or to a replica (READONLY), a replica cut from its master (MASTERDOWN), a script
 * running past its time limit (BUSY), writes refused after a failed save (MISCONF), too few replicas (NOREPLICAS).
 */
const UNAVAILABLE_REPLY_CODES: ReadonlySet<string> = new Set([
  'CLUSTERDOWN',
  'TRYAGAIN',
  'MOVED',
  'ASK',
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'BUSY',
  'MISCONF',
  'NOREPLICAS',
]);

/**
 * Classes of redis-errors (ioredis' error base) that mean the command never got an answer: aborted because the
 * connection closed (`AbortError`, `InterruptError`), flushed after a retry limit (`MaxRetriesPerRequestError`),
 * or no Cluster node could tell the slot map (`ClusterAllFailedError`).
 */
const UNAVAILABLE_ERROR_CLASSES: ReadonlySet<string> = new Set([
  'AbortError',
  'InterruptError',
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
]);

/**
 * ioredis rejects a command whose connection is gone with a plain `Error` that has no class or code of its own,
 * only one of these fixed texts (ioredis 5: `utils.CONNECTION_CLOSED_ERROR_MSG`, `cluster/index.js`,
 * `Redis.js`); pinned by services/worker/test/redis-unavailable-errors.test.ts against a real Redis.
 */
const CONNECTION_LOST_TEXTS: ReadonlySet<string> = new Set([
  'Connection is closed.',
  'Cluster is disconnected.',
  'Cluster is disconnecting.',
  'None of startup nodes is available',
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
]);
/** A Cluster command that followed its whole redirection budget (MOVED/CLUSTERDOWN/failover retries). */
const TOO_MANY_REDIRECTIONS = 'Too many Cluster redirections.';

/** The names of `err`'s classes up to `Error` (by name: works across copies of a library). */
function errorClassNames(err: Error): string[] {
  const names: string[] = [];
  for (
    let p: unknown = Object.getPrototypeOf(err);
    p && p !== Error.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}

/**
 * Whether `err` itself (not its causes: the caller walks those) says that Baton's Redis is unavailable: a
 * redis-errors `ReplyError` with an unavailable code, a redis-errors abort, or ioredis' connection-lost `Error`.
 * A bug in a command (WRONGTYPE, NOSCRIPT, ERR …) is not; nor is an `AbortError` of another library (a DOM or
 * timers abort: not a redis-errors class), nor any coded error of Baton's.
 */
export function isRedisUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const classes = errorClassNames(err);
  if (classes.includes('RedisError')) {
    if (classes.includes('ReplyError')) {
      const code = err.message.split(' ', 1)[0] ?? '';
      if (UNAVAILABLE_REPLY_CODES.has(code)) return true;
      // EXECABORT: the transaction was refused because a queued command was (e.g. CLUSTERDOWN on its slot).
      const previous = (err as { previousErrors?: unknown }).previousErrors;
      return Array.isArray(previous) && previous.some((e) => isRedisUnavailableError(e));
    }
    return classes.some((c) => UNAVAILABLE_ERROR_CLASSES.has(c));
  }
  // ioredis' connection-lost errors are plain `Error`s: never a subclass (a coded error is someone's own).
  if (Object.getPrototypeOf(err) !== Error.prototype) return false;
  return CONNECTION_LOST_TEXTS.has(err.message) || err.message.startsWith(TOO_MANY_REDIRECTIONS);
}
