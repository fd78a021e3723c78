import { type DeepReadonly, type Env, envBoolean, parseEnv } from '@baton/bot';
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
 * The reference bot's own variables (market data, mention rule, authorization, rate limit): the bot parses
 * them itself when the worker loads it, so the worker's schema holds only runtime variables;
 * `referenceBotConfigFrom` turns the parsed config into `createReferenceBot`'s options.
 */
export const referenceBotEnvSchema = z.object({
  MARKET_DATA_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:8090')
    .describe('Base URL of the market-data HTTP endpoint used by /quote'),
  REQUIRE_MENTION_IN_IM: envBoolean()
    .default(false)
    .describe('Whether commands in 1:1 IMs must @mention the bot too'),
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

/** The reference bot's parsed variables. */
export type ReferenceBotEnv = DeepReadonly<z.infer<typeof referenceBotEnvSchema>>;

/** Parses the reference bot's variables; throws ConfigError naming every bad one. */
export function loadReferenceBotEnv(env: Env): ReferenceBotEnv {
  return parseEnv(referenceBotEnvSchema, env, { service: 'reference bot' });
}

/** Parsed variables → `createReferenceBot` options. */
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
