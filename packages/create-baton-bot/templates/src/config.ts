import { type Env, parseEnv } from '@baton/bot';
import { z } from 'zod';

/**
 * This bot's own variables, read from the environment when a worker starts. Add yours here (and to
 * .env.example and the README). Like Baton's own variables, an empty value counts as unset, and `X_FILE`
 * reads `X` from a file.
 */
export const configSchema = z.object({
  GREETING: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(100, 'must be at most 100 characters')
    .default('Hello')
    .describe('What /hello says before the name'),
});

/**
 * Validates the bot's variables; throws a `ConfigError` (from `@baton/bot`) naming every invalid one, so a
 * worker with a bad value stops at start instead of failing on the first message.
 */
export function loadConfig(env: Env) {
  return parseEnv(configSchema, env, { service: '{{name}}' });
}
