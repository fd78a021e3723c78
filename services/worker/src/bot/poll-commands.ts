import { createHash } from 'node:crypto';
import { bold, button, form, table } from '@baton/shared';
import type { Bot, FormContext } from '../framework/index.ts';

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
}

const currentKey = (streamId: string) => `poll:current:${streamId}`;
const pollKey = (id: string) => `poll:${id}`;
const votersKey = (id: string) => `poll:${id}:voters`;
const tallyKey = (id: string) => `poll:${id}:tally`;

/**
 * `/poll "question" option…` posts an Elements form with one button per option; each vote (a
 * SYMPHONYELEMENTSACTION) is tallied in the state store, one per user; `/poll close` posts the result table.
 */
export function registerPoll(bot: Bot): Bot {
  bot.command('/poll {question:string} {options:string...}', {
    description: 'Start a poll: one button per option, one vote per person',
    examples: ['/poll "Lunch?" pizza sushi salad', '/poll close'],
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
      await ctx.reply(
        form(POLL_FORM_ID, [
          ctx.messageML`<h3>${poll.question}</h3>`,
          ...options.map((label, i) => button({ name: `vote:${id}:${i}`, label })),
        ]),
      );
    },
  });

  bot.command('/poll close', {
    description: 'Close the current poll of this room and post the results',
    examples: ['/poll close'],
    handler: async (ctx) => {
      const id = await ctx.state.get<string>(currentKey(ctx.streamId));
      const poll = id === undefined ? undefined : await ctx.state.get<Poll>(pollKey(id));
      if (!poll) {
        await ctx.reply('There is no open poll here. Start one with /poll "question" option1 option2');
        return;
      }
      const tally = await ctx.state.getFields(tallyKey(poll.id));
      const counts = poll.options.map((label, i) => ({ label, votes: tally[String(i)] ?? 0 }));
      const total = counts.reduce((sum, c) => sum + c.votes, 0);
      await ctx.state.set(pollKey(poll.id), { ...poll, closed: true }, POLL_TTL_SEC);
      await ctx.state.delete(currentKey(ctx.streamId));
      await ctx.reply(
        ctx.messageML`<p>Results: ${bold(poll.question)} (${total} vote${total === 1 ? '' : 's'})</p>${table(
          ['Option', 'Votes'],
          [...counts].sort((a, b) => b.votes - a.votes).map((c) => [c.label, c.votes]),
        )}`,
      );
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
      await ctx.reply(ctx.messageML`Sorry ${ctx.user.displayName ?? ''}, that poll is closed.`);
      return;
    }
    const seen = await ctx.state.incrementField(votersKey(id), String(ctx.user.userId), 1, POLL_TTL_SEC);
    if (seen > 1) {
      await ctx.reply(ctx.messageML`${ctx.user.displayName ?? 'You'}: you already voted in this poll.`);
      return;
    }
    await ctx.state.incrementField(tallyKey(id), String(index), 1, POLL_TTL_SEC);
  });
  return bot;
}
