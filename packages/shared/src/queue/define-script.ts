import type { Cluster, Redis } from 'ioredis';

/** A Lua script defined on an ioredis client: `fn(numKeys, ...keys, ...args)`. */
export type ScriptFn = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Defines `lua` as the command `name` on `redis` (once per client) and returns it bound. ioredis sends EVALSHA
 * and falls back to EVAL on NOSCRIPT (script cache lost on a Redis restart).
 */
export function defineScript(redis: Redis | Cluster, name: string, lua: string): ScriptFn {
  if (!(name in redis)) redis.defineCommand(name, { lua });
  // ioredis adds defined commands as untyped methods on the instance.
  const fn = (redis as unknown as Record<string, ScriptFn>)[name];
  if (typeof fn !== 'function') throw new Error(`ioredis did not define ${name}`);
  return fn.bind(redis);
}
