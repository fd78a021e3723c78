import { type Env, logEnvSchema, parseEnv, symphonyEnvSchema } from '@baton/shared';
import { z } from 'zod';

/** Configuration of a baseline bot process (the inline loops the benchmarks compare Baton against). */
export const baselineEnvSchema = symphonyEnvSchema.extend(logEnvSchema.shape).extend({
  BASELINE_MODE: z
    .enum(['inline', 'inline-batch'])
    .default('inline')
    .describe(
      'inline: one event at a time (BDK Java); inline-batch: a batch concurrently, then read (BDK Python)',
    ),
  FEED_VERSION: z.enum(['v1', 'v2']).default('v2').describe('Datafeed version to read'),
});

export type BaselineConfig = Readonly<z.infer<typeof baselineEnvSchema>>;

export function loadBaselineConfig(env: Env = process.env): BaselineConfig {
  return parseEnv(baselineEnvSchema, env, { service: 'baseline' }) as BaselineConfig;
}
