/** Redis replies that refuse the command's arguments themselves (too big), whatever Redis's health. */
const INPUT_REFUSED_BY_REDIS =
  /string exceeds maximum allowed size|invalid bulk length|invalid multibulk length|Protocol error|too big/i;

/**
 * Tells "this input cannot be stored" from "Redis is unavailable" for a failed write of a batch. True for what
 * this process throws while serialising or reading the input (a RangeError such as `Maximum call stack size
 * exceeded` or `Invalid string length`, a TypeError such as a BigInt or a circular value, a SyntaxError) and for
 * a Redis reply refusing an argument's size: sending the same input again fails the same way, so retrying it
 * would stall the feed. False for everything else (connection refused or closed, timeouts, `LOADING`,
 * `READONLY`, `OOM`, `CLUSTERDOWN`, a Lua error, unknown errors): those may pass, and retrying loses nothing.
 */
export function isUnstorableInput(err: unknown): boolean {
  if (err instanceof RangeError || err instanceof TypeError || err instanceof SyntaxError) return true;
  if (!(err instanceof Error)) return false;
  return err.name === 'ReplyError' && INPUT_REFUSED_BY_REDIS.test(err.message);
}
