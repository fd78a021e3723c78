import { z } from 'zod';
import type { ReferenceBotConfig } from './reference-bot.ts';

/** A comma-separated list of ids (`a, b,c`), entries trimmed, blanks dropped. */
const commaList = () =>
  z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

/** A comma-separated list of numeric Symphony user ids (`12345,67890`); blank = unset. */
const userIds = () =>
  commaList().pipe(
    z.array(
      z
        .string()
        .regex(/^[1-9][0-9]*$/, 'expected numeric user ids')
        .transform(Number),
    ),
  );

/** A comma-separated list of stream ids. */
const streamIds = commaList;

/**
 * The reference bot's authorization and rate-limit variables, for the worker's config schema to extend
 * (`workerFieldsSchema.extend(referenceBotEnvSchema.shape)`); `referenceBotConfigFrom` turns the parsed
 * config into `createReferenceBot`'s options.
 */
export const referenceBotEnvSchema = z.object({
  BOT_ALLOWED_USERS: userIds()
    .optional()
    .describe(
      'Comma-separated user ids allowed to run commands (unset = everyone); others get a polite refusal',
    ),
  BOT_ALLOWED_STREAMS: streamIds()
    .optional()
    .describe(
      'Comma-separated stream ids where commands run (unset = every stream); elsewhere a polite refusal',
    ),
  BOT_ROOM_CREATORS: userIds()
    .optional()
    .describe('Comma-separated user ids allowed to run /room create (unset = everyone)'),
  BOT_COMMANDS_PER_MINUTE: z.coerce
    .number({ error: 'expected a whole number' })
    .int()
    .min(0)
    .default(30)
    .describe('Commands one user may run per minute, across all workers (0 = no limit)'),
});

/** The parsed variables `referenceBotConfigFrom` reads (the worker config has them all). */
export interface ReferenceBotEnv {
  readonly MARKET_DATA_URL: string;
  readonly REQUIRE_MENTION_IN_IM: boolean;
  readonly BOT_ALLOWED_USERS?: readonly number[] | undefined;
  readonly BOT_ALLOWED_STREAMS?: readonly string[] | undefined;
  readonly BOT_ROOM_CREATORS?: readonly number[] | undefined;
  readonly BOT_COMMANDS_PER_MINUTE?: number | undefined;
}

/** Parsed worker config → `createReferenceBot` options. */
export function referenceBotConfigFrom(env: ReferenceBotEnv): ReferenceBotConfig {
  const config: ReferenceBotConfig = {
    marketDataUrl: env.MARKET_DATA_URL,
    requireMentionInIm: env.REQUIRE_MENTION_IN_IM,
  };
  if (env.BOT_ALLOWED_USERS) config.allowedUsers = [...env.BOT_ALLOWED_USERS];
  if (env.BOT_ALLOWED_STREAMS) config.allowedStreams = [...env.BOT_ALLOWED_STREAMS];
  if (env.BOT_ROOM_CREATORS) config.roomCreators = [...env.BOT_ROOM_CREATORS];
  if (env.BOT_COMMANDS_PER_MINUTE !== undefined) config.commandsPerMinute = env.BOT_COMMANDS_PER_MINUTE;
  return config;
}
