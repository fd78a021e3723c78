import { createHash } from 'node:crypto';
import type { BaseContext, Bot, FormContext } from '@baton/bot';
import { bold, button, form, italic, table } from '@baton/bot';

/** The form id of every poll; the clicked button's name (`vote:<pollId>:<index>`) says which poll and option. */
export const POLL_FORM_ID = 'baton-poll';
const POLL_TTL_SEC = 7 * 24 * 3600;
const MAX_OPTIONS = 10;

interface Poll {
  id: string;
  question: string;
  options: string[];
  createdBy: number;
  closed?: boolean;
  /**
   * The poll message as users see it (its latest version): the form is replaced by the results when the poll
   * closes. Absent until known (the reply's id, else the id of the first form a vote came from).
   */
  messageId?: string;
}

/** A recorded vote: the option, and the event that cast it (so a retry of that event recognises its own vote). */
interface Vote {
  option: number;
  eventKey: string;
}

const currentKey = (streamId: string) => `poll:current:${streamId}`;
const pollKey = (id: string) => `poll:${id}`;
/** Hash userId → Vote: the tally is counted from it, so a vote is one write and can be neither lost nor doubled. */
const votesKey = (id: string) => `poll:${id}:votes`;
/** Which poll a `/poll close` event closed, so its retry posts the same results. */
const closedByKey = (eventKey: string) => `poll:closed-by:${eventKey}`;

/**
 * `/poll "question" option…` posts an Elements form with one button per option; each vote (a
 * SYMPHONYELEMENTSACTION) is recorded in the state store, first vote per user wins; `/poll close` posts the
 * result table. Every step is safe to retry (the runtime delivers at least once).
 */
export function registerPoll(bot: Bot): Bot {
  bot.command('/poll {question:string} {options:string...}', {
    description: 'Start a poll: one button per option, one vote per person',
    examples: ['/poll "Lunch?" pizza sushi salad', '/poll "Ship it?" yes no'],
    handler: async (ctx) => {
      const options = [...new Set(ctx.args.options.map((o) => o.trim()).filter((o) => o !== ''))];
      if (options.length < 2 || options.length > MAX_OPTIONS) {
        await ctx.reply(
          `A poll needs 2 to ${MAX_OPTIONS} different options, e.g. /poll "Lunch?" pizza sushi`,
        );
        return;
      }
      // Derived from the command message, so a retried event re-posts the same poll (same id, same buttons).
      const id = createHash('sha256')
        .update(ctx.event.payload.messageSent.message.messageId)
        .digest('hex')
        .slice(0, 12);
      const poll: Poll = { id, question: ctx.args.question, options, createdBy: ctx.user.userId };
      await ctx.state.set(pollKey(id), poll, POLL_TTL_SEC);
      await ctx.state.set(currentKey(ctx.streamId), id, POLL_TTL_SEC);
      const sent = await ctx.reply(
        form(POLL_FORM_ID, [
          ctx.messageML`<h3>${poll.question}</h3>`,
          ...options.map((label, i) => button({ name: `vote:${id}:${i}`, label })),
        ]),
      );
      // A retry whose reply was already posted gets no message back; the first vote then tells the id.
      if (sent) await ctx.state.set(pollKey(id), { ...poll, messageId: sent.messageId }, POLL_TTL_SEC);
    },
  });

  bot.command('/poll close', {
    description: 'Close the current poll of this room and post the results',
    examples: ['/poll close'],
    handler: async (ctx) => {
      // A retry of this event finds the poll it closed the first time (the room's current poll is gone by then).
      const id =
        (await ctx.state.get<string>(closedByKey(ctx.eventKey))) ??
        (await ctx.state.get<string>(currentKey(ctx.streamId)));
      const poll = id === undefined ? undefined : await ctx.state.get<Poll>(pollKey(id));
      if (!poll) {
        await ctx.reply('There is no open poll here. Start one with /poll "question" option1 option2');
        return;
      }
      await ctx.state.set(closedByKey(ctx.eventKey), poll.id, POLL_TTL_SEC);
      await ctx.state.set(pollKey(poll.id), { ...poll, closed: true }, POLL_TTL_SEC);
      await ctx.state.delete(currentKey(ctx.streamId));
      const votes = Object.values(await ctx.state.getFieldValues<Vote>(votesKey(poll.id)));
      const counts = poll.options.map((label, i) => ({
        label,
        votes: votes.filter((v) => v.option === i).length,
      }));
      const total = counts.reduce((sum, c) => sum + c.votes, 0);
      const votesText = `${total} vote${total === 1 ? '' : 's'}`;
      const results = table(
        ['Option', 'Votes'],
        [...counts].sort((a, b) => b.votes - a.votes).map((c) => [c.label, c.votes]),
      );
      await ctx.reply(ctx.messageML`<p>Results: ${bold(poll.question)} (${votesText})</p>${results}`);
      // The poll message itself: its buttons give way to the results, so a reloaded page offers no stale form.
      if (poll.messageId !== undefined) {
        await replacePollMessage(
          ctx,
          poll,
          poll.messageId,
          ctx.messageML`<h3>${poll.question}</h3><p>${italic('This poll is closed')} (${votesText})</p>${results}`,
        );
      }
    },
  });

  bot.form(POLL_FORM_ID, async (ctx: FormContext) => {
    const match = /^vote:([0-9a-f]+):(\d+)$/.exec(ctx.action ?? '');
    if (!match?.[1] || match[2] === undefined) {
      ctx.log.warn({ action: ctx.action }, 'poll form submitted without a vote button');
      return;
    }
    const [, id, index] = match;
    const poll = await ctx.state.get<Poll>(pollKey(id));
    const option = poll?.options[Number(index)];
    if (!poll || option === undefined || poll.closed) {
      // A form shown before the poll closed (a page not refreshed yet, or a click racing the close).
      await ctx.reply(ctx.messageML`Sorry ${ctx.user.displayName ?? ''}, that poll is closed.`);
      return;
    }
    if (poll.messageId === undefined) {
      await ctx.state.set(pollKey(id), { ...poll, messageId: ctx.formMessageId }, POLL_TTL_SEC);
    }
    // One write records the vote (first vote per user wins). A retry of this same event finds its own vote.
    const vote: Vote = { option: Number(index), eventKey: ctx.eventKey };
    const recorded = await ctx.state.setFieldIfAbsent(
      votesKey(id),
      String(ctx.user.userId),
      vote,
      POLL_TTL_SEC,
    );
    const who = ctx.user.displayName ?? 'You';
    if (!recorded.set && recorded.value.eventKey !== ctx.eventKey) {
      await ctx.reply(ctx.messageML`${who}: you already voted in this poll.`);
      return;
    }
    // The first vote (or a retry of it) is confirmed; the reply is posted once however often the event runs.
    await ctx.reply(ctx.messageML`${who}: your vote for ${bold(option)} is counted.`);
  });
  return bot;
}

/**
 * Updates the poll message and records its new version. A refusal (the message is gone, or was replaced by
 * someone else's update) is logged, not retried: the results were posted anyway, and a click on the old form
 * still gets the polite "that poll is closed".
 */
async function replacePollMessage(
  ctx: BaseContext,
  poll: Poll,
  messageId: string,
  content: Parameters<BaseContext['updateMessage']>[1],
): Promise<void> {
  try {
    const updated = await ctx.updateMessage(messageId, content);
    await ctx.state.set(
      pollKey(poll.id),
      { ...poll, closed: true, messageId: updated.messageId },
      POLL_TTL_SEC,
    );
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'SYMPHONY_UPDATE_REFUSED')) throw err;
    ctx.log.warn(
      { pollId: poll.id, messageId, err: err.message },
      'could not update the closed poll message',
    );
  }
}
