import { allowOnly, type Bot, createBot, logDispatch, rateLimitPerUser } from '@baton/bot';
import { registerAnnounce } from './announce-command.ts';
import { registerEcho } from './echo-command.ts';
import { registerFeedback } from './feedback-dialog.ts';
import { createMarketDataClient, type MarketDataClient } from './market-data-client.ts';
import { registerPing } from './ping-command.ts';
import { registerPoll } from './poll-commands.ts';
import { registerQuote } from './quote-command.ts';
import { registerRemind } from './remind-command.ts';
import { registerRoom } from './room-command.ts';
import { registerWc } from './wc-command.ts';
import { registerWelcome } from './welcome-listeners.ts';

/** The reference bot's id in heartbeats (`createBot({ id })`); /help shows the bot user's display name. */
export const REFERENCE_BOT_ID = 'baton-reference-bot';

export interface ReferenceBotConfig {
  /** Base URL of the market-data service used by /quote (`MARKET_DATA_URL`). */
  marketDataUrl: string;
  /** /quote HTTP timeout. Default 2000 ms. */
  marketDataTimeoutMs?: number;
  /** Require an @mention in IMs too (`REQUIRE_MENTION_IN_IM`). Default false. */
  requireMentionInIm?: boolean;
  /** Commands per user per minute before the bot asks them to slow down. Default 30; 0 = no limit. */
  commandsPerMinute?: number;
  /** Users allowed to run `/room create` (omit = everyone). */
  roomCreators?: number[];
  /** Users allowed to run commands (omit = everyone). */
  allowedUsers?: number[];
  /** Streams where commands run (omit = every stream). */
  allowedStreams?: string[];
}

export interface ReferenceBotDeps {
  /** Inject a market-data client (tests); default an axios client on `marketDataUrl`. */
  marketData?: MarketDataClient;
  now?: () => number;
}

/** The reference bot `pnpm start` runs: help, echo, ping, room, poll, quote, remind, feedback, wc, announce, welcomes. */
export function createReferenceBot(config: ReferenceBotConfig, deps: ReferenceBotDeps = {}): Bot {
  const now = deps.now ?? Date.now;
  const marketData =
    deps.marketData ??
    createMarketDataClient({ baseUrl: config.marketDataUrl, timeoutMs: config.marketDataTimeoutMs ?? 2000 });
  const bot = createBot({ id: REFERENCE_BOT_ID, requireMentionInIm: config.requireMentionInIm ?? false });

  bot.use(logDispatch({ level: 'debug' }));
  if (config.allowedUsers || config.allowedStreams) {
    bot.use(
      allowOnly({
        ...(config.allowedUsers ? { users: config.allowedUsers } : {}),
        ...(config.allowedStreams ? { streams: config.allowedStreams } : {}),
      }),
    );
  }
  const perMinute = config.commandsPerMinute ?? 30;
  if (perMinute > 0) bot.use(rateLimitPerUser({ limit: perMinute, windowSec: 60 }));

  registerEcho(bot);
  registerPing(bot, now);
  registerRoom(bot, config.roomCreators ? { allowedUsers: config.roomCreators } : {});
  registerPoll(bot);
  registerQuote(bot, marketData);
  registerRemind(bot);
  registerFeedback(bot, now);
  registerWc(bot);
  registerAnnounce(bot);
  registerWelcome(bot);
  return bot;
}
