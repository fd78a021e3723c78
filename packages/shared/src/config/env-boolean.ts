import { z } from 'zod';

/**
 * A boolean env variable: `true/1/yes/on` → true, `false/0/no/off` → false (case-insensitive); anything
 * else is a config error. (`z.coerce.boolean()` would turn "false" into true.)
 */
export function envBoolean() {
  return z.stringbool({ error: 'expected a boolean (true/false, 1/0, yes/no, on/off)' });
}
