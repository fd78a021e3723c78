import type { Bot } from '@baton/bot';
import { bold, cashtag } from '@baton/bot';
import { type MarketDataClient, MarketDataUnavailableError } from './market-data-client.ts';

/** `/quote $TICKER`: the latest price from the market-data service, or a polite word when it cannot tell. */
export function registerQuote(bot: Bot, marketData: MarketDataClient): Bot {
  return bot.command('/quote {$ticker}', {
    description: 'Latest price of a stock',
    examples: ['/quote $AAPL', '/quote MSFT'],
    handler: async (ctx) => {
      const ticker = ctx.args.ticker.toUpperCase();
      try {
        const quote = await marketData.getQuote(ticker);
        if (!quote) {
          await ctx.reply(
            ctx.messageML`I don't know the ticker ${cashtag(ticker)}. Check the symbol and try again.`,
          );
          return;
        }
        await ctx.reply(
          ctx.messageML`${cashtag(quote.ticker)}: ${bold(quote.price.toFixed(2))} ${quote.currency} (as of ${quote.asOf})`,
        );
      } catch (error) {
        if (!(error instanceof MarketDataUnavailableError)) throw error;
        ctx.log.warn({ ticker, err: error.cause }, 'market data unavailable');
        await ctx.reply('Sorry, market data is unavailable right now. Please try again in a minute.');
      }
    },
  });
}
