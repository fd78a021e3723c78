import { createTestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import { createReferenceBot } from '../src/index.ts';
import { POLL_FORM_ID } from '../src/poll-commands.ts';
import { pollButtons, pollResultRows } from './support/poll-message.ts';

const makeBot = () => createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }));

describe('/poll', () => {
  it('posts a form with one button per option, tallies one vote per user, closes with a table', async () => {
    const t = makeBot();
    const [formReply] = await t.send('@bot /poll "Lunch today?" pizza sushi salad');
    expect(formReply?.message).toContain(`<form id="${POLL_FORM_ID}">`);
    const buttons = pollButtons(formReply?.message);
    expect(buttons.map((b) => b.label)).toEqual(['pizza', 'sushi', 'salad']);
    const vote = (i: number) => buttons[i]?.name ?? '';

    const [confirmed] = await t.submitForm(POLL_FORM_ID, { action: vote(1) }, { from: t.users.alice });
    expect(confirmed?.text).toBe('Alice Martin: your vote for sushi is counted.');
    await t.submitForm(POLL_FORM_ID, { action: vote(1) }, { from: t.users.bob });
    await t.submitForm(POLL_FORM_ID, { action: vote(0) }, { from: t.users.carol });
    const [again] = await t.submitForm(POLL_FORM_ID, { action: vote(0) }, { from: t.users.alice });
    expect(again?.text).toContain('you already voted');

    const [result] = await t.send('@bot /poll close');
    expect(result?.message).toContain('<table>');
    expect(result?.text).toContain('Results: Lunch today? (3 votes)');
    expect(pollResultRows(result?.message)).toEqual([
      ['sushi', 2],
      ['pizza', 1],
      ['salad', 0],
    ]);

    const [late] = await t.submitForm(POLL_FORM_ID, { action: vote(2) }, { from: t.users.bob });
    expect(late?.text).toContain('that poll is closed');
    const [none] = await t.send('@bot /poll close');
    expect(none?.text).toContain('There is no open poll here');
  });

  it('keeps polls of different rooms apart', async () => {
    const t = makeBot();
    const desk = t.room('desk');
    await t.send('@bot /poll Q1 a b');
    await t.send('@bot /poll Q2 c d', { stream: desk });
    const deskForm = t.lastForm(POLL_FORM_ID);
    expect(deskForm?.streamId).toBe(desk.streamId);
    const button = /<button name="([^"]+)"/.exec(deskForm?.reply.message ?? '')?.[1] ?? '';
    await t.submitForm(POLL_FORM_ID, { action: button });
    const [general] = await t.send('@bot /poll close');
    expect(general?.text).toContain('Q1 (0 votes)');
    const [deskResult] = await t.send('@bot /poll close', { stream: desk });
    expect(deskResult?.text).toContain('Q2 (1 vote)');
  });

  it('needs at least two different options', async () => {
    const t = makeBot();
    const [reply] = await t.send('@bot /poll "Only one?" yes yes');
    expect(reply?.text).toContain('A poll needs 2 to 10 different options');
    const [usage] = await t.send('@bot /poll');
    expect(usage?.text).toContain('Missing question. Usage: /poll <question> <options…>');
  });
});
