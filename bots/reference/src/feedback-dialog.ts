import type { Bot, StepContext } from '@baton/bot';

const RATING_STEP = 'feedback.rating';
const COMMENT_STEP = 'feedback.comment';
const RESULT_TTL_SEC = 90 * 24 * 3600;

/** A stored answer of the /feedback dialog. */
export interface FeedbackResult {
  userId: number;
  streamId: string;
  rating: number;
  comment: string;
  at: number;
  /** The event that gave the last answer (a retry of it recognises the saved result). */
  eventKey: string;
}

/** Where a user's latest feedback is stored. */
export const feedbackKey = (userId: number) => `feedback:${userId}`;
/** Hash of rating → count. */
export const FEEDBACK_SUMMARY_KEY = 'feedback:ratings';

const thanks = (name: string | undefined) => `Thank you${name ? `, ${name}` : ''}! Your feedback is saved.`;
/** "cancel" (or stop, quit) at any step ends the dialog; true when it did. */
async function cancelled(ctx: StepContext): Promise<boolean> {
  if (!/^(cancel|stop|quit)$/i.test(ctx.text.trim())) return false;
  await ctx.conversation.clear();
  await ctx.reply('No problem, feedback cancelled.');
  return true;
}

/**
 * A multi-step dialog on conversation state: `/feedback` asks for a rating, then a comment, then stores the
 * result and thanks the user. The answers are the user's next plain messages in that stream (no mention needed).
 */
export function registerFeedback(bot: Bot, now: () => number = Date.now): Bot {
  bot.command('/feedback', {
    description: 'Tell us how the bot is doing (two quick questions)',
    examples: ['/feedback'],
    handler: async (ctx) => {
      await ctx.conversation.set({});
      await ctx.expect(RATING_STEP);
      await ctx.reply('How would you rate me, from 1 (poor) to 5 (great)? (say "cancel" to stop)');
    },
  });
  bot.step(RATING_STEP, async (ctx) => {
    if (await cancelled(ctx)) return;
    const rating = Number(ctx.text.trim());
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      await ctx.expect(RATING_STEP);
      await ctx.reply('Please answer with a whole number from 1 to 5.');
      return;
    }
    await ctx.conversation.set({ rating });
    await ctx.expect(COMMENT_STEP);
    await ctx.reply('Thanks! What should we improve?');
  });
  bot.step(COMMENT_STEP, async (ctx) => {
    if (await cancelled(ctx)) return;
    const answers = await ctx.conversation.get<{ rating?: number }>();
    const saved = await ctx.state.get<FeedbackResult>(feedbackKey(ctx.user.userId));
    if (answers?.rating === undefined && saved?.eventKey === ctx.eventKey) {
      // A retry after the dialog was already saved and forgotten: only the thanks may still be missing.
      await ctx.reply(thanks(ctx.user.displayName));
      return;
    }
    if (answers?.rating === undefined) {
      await ctx.conversation.clear();
      await ctx.reply('Sorry, I lost track of your rating. Start again with /feedback.');
      return;
    }
    const result: FeedbackResult = {
      userId: ctx.user.userId,
      streamId: ctx.streamId,
      rating: answers.rating,
      comment: ctx.text.trim(),
      at: now(),
      eventKey: ctx.eventKey,
    };
    // Retry-safe order: idempotent writes first (the counter once per event), the reply, and only then forget
    // the dialog, so a retry after a crash anywhere here still finds the rating and counts it once.
    await ctx.state.set(feedbackKey(ctx.user.userId), result, RESULT_TTL_SEC);
    await ctx.state.incrementFieldOnce(FEEDBACK_SUMMARY_KEY, String(result.rating), ctx.eventKey);
    await ctx.reply(thanks(ctx.user.displayName));
    await ctx.conversation.clear();
  });
  return bot;
}
