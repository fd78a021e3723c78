import { createTestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import { createReferenceBot } from '../src/index.ts';
import { POLL_FORM_ID } from '../src/poll-commands.ts';
import { pollButtons, pollResultRows } from './support/poll-message.ts';

// Closing a poll updates the poll message (Symphony's message update): its buttons give way to the results, so
// a page reloaded after the close shows no form that the bot would then refuse.

const makeBot = () => createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }));

async function pollWithVotes() {
  const t = makeBot();
  const [formReply] = await t.send('@bot /poll "Lunch today?" pizza sushi');
  const buttons = pollButtons(formReply?.message);
  const vote = (i: number) => buttons[i]?.name ?? '';
  await t.submitForm(POLL_FORM_ID, { action: vote(1) }, { from: t.users.alice });
  await t.submitForm(POLL_FORM_ID, { action: vote(1) }, { from: t.users.bob });
  if (!formReply) throw new Error('no poll form');
  return { t, formReply, vote };
}

describe('/poll close updates the poll message', () => {
  it('replaces the form with the results, in place', async () => {
    const { t, formReply } = await pollWithVotes();
    const [results] = await t.send('@bot /poll close');
    expect(results?.text).toContain('Results: Lunch today? (2 votes)');

    expect(t.updates).toHaveLength(1);
    const update = t.updates[0];
    expect(update?.replacing).toBe(formReply.messageId);
    expect(update?.streamId).toBe(formReply.streamId);
    expect(update?.message).not.toContain('<form');
    expect(update?.message).not.toContain('<button');
    expect(update?.text).toContain('Lunch today?');
    expect(update?.text).toContain('This poll is closed (2 votes)');
    expect(pollResultRows(update?.message)).toEqual([
      ['sushi', 2],
      ['pizza', 0],
    ]);
    // What users see now is the update; no poll form is shown any more.
    expect(t.latest(formReply.messageId)?.messageId).toBe(update?.messageId);
    expect(formReply.replacedBy).toBe(update?.messageId);
    expect(t.lastForm(POLL_FORM_ID)).toBeUndefined();
  });

  it('a click on the old form (a page not reloaded, a race) still gets the polite refusal', async () => {
    const { t, formReply, vote } = await pollWithVotes();
    await t.send('@bot /poll close');
    const [late] = await t.submitForm(
      POLL_FORM_ID,
      { action: vote(0) },
      { from: t.users.carol, formMessageId: formReply.messageId },
    );
    expect(late?.text).toBe('Sorry Carol Diaz, that poll is closed.');
    expect(t.updates).toHaveLength(1);
  });

  it('a retried close updates once (and posts its results once)', async () => {
    const { t } = await pollWithVotes();
    await t.send('@bot /poll close');
    const close = t.events.at(-1);
    if (!close) throw new Error('no close event');
    const repliesBefore = t.replies.length;
    expect(await t.emit(close)).toEqual([]);
    expect(t.replies).toHaveLength(repliesBefore);
    expect(t.updates).toHaveLength(1);
  });

  it('learns the poll message from a vote when the poll reply came back empty (a retried /poll)', async () => {
    const { t, formReply } = await pollWithVotes();
    // As after a retry whose reply had been posted already: the poll state has no message id.
    const pollId = /vote:([0-9a-f]+):/.exec(formReply.message)?.[1] ?? '';
    const poll = await t.state.get<Record<string, unknown>>(`poll:${pollId}`);
    await t.state.set(`poll:${pollId}`, { ...poll, messageId: undefined });
    await t.submitForm(POLL_FORM_ID, { action: `vote:${pollId}:0` }, { from: t.users.carol });
    await t.send('@bot /poll close');
    expect(t.updates.map((u) => u.replacing)).toEqual([formReply.messageId]);
  });

  it('posts the results anyway when the poll message cannot be updated', async () => {
    const { t, formReply } = await pollWithVotes();
    // Someone replaced the poll message first: the bot's update of the old version is refused.
    await t.services.updates?.update(
      formReply.streamId,
      formReply.messageId,
      { message: '<messageML>x</messageML>' },
      'other',
    );
    const [results] = await t.send('@bot /poll close');
    expect(results?.text).toContain('Results: Lunch today? (2 votes)');
    expect(t.updates).toHaveLength(1);
    expect(t.updates[0]?.text).toBe('x');
  });
});
