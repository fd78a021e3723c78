import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@baton/testing';
import { type E2EStack, stackTest } from '@baton/worker/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeMarketData, type FakeMarketData } from '../src/index.ts';
import { referenceStackOptions } from './support/reference-stack-options.ts';

// The reference bot (the worker's main with BOT_MODULE=@baton/reference-bot) through simulator + ingester + worker process.
let stack: E2EStack;
let market: FakeMarketData;
let room: string;
let bob: number;

stackTest.override(
  'stackOptions',
  referenceStackOptions({ SEND_RATE_PER_STREAM: '20', SEND_BURST_PER_STREAM: '20' }),
);

stackTest.beforeAll(async ({ stack: fileStack }) => {
  market = createFakeMarketData();
  await market.start();
  stack = fileStack;
  bob = stack.sim.control.createUser({ username: 'bob', displayName: 'Bob' }).userId;
  room = stack.room('reference-bot', [stack.bot.userId, stack.alice.userId, bob]);
  await stack.spawnWorker('ref1', { MARKET_DATA_URL: market.url });
});

afterAll(async () => {
  await market?.stop();
});

/** Sends `text` and resolves with the texts of the bot's new messages once `n` arrived in `streamId`. */
async function ask(text: string, n = 1, streamId = room): Promise<string[]> {
  const before = stack.botMessages(streamId).length;
  stack.say(streamId, text);
  await waitFor(
    `reply to ${text}`,
    () => stack.botMessages(streamId).length >= before + n,
    20_000,
    () => [...stack.workers.values()].map((w) => w.output()).join('\n'),
  );
  return stack
    .botMessages(streamId)
    .slice(before)
    .map((m) => m.text);
}

describe('reference bot end to end', () => {
  it('/help lists the commands; /echo; /ping; unknown commands get a helpful reply', async () => {
    const [help] = await ask('@baton-bot /help');
    for (const c of ['/echo', '/ping', '/room create', '/poll', '/quote', '/remind', '/feedback'])
      expect(help).toContain(c);
    expect(await ask('@baton-bot /echo hello <world> & co')).toEqual(['hello <world> & co']);
    const [pong] = await ask('@baton-bot /ping');
    expect(pong).toMatch(/pong/);
    const [unknown] = await ask('@baton-bot /frobnicate');
    expect(unknown).toMatch(/help/i);
  });

  it('/room create makes a room, adds the members and posts a welcome', async () => {
    const [reply] = await ask('@baton-bot /room create "Rates desk" @bob');
    expect(reply).toMatch(/Created room Rates desk/);
    const created = stack.sim.control.listStreams().find((s) => s.name === 'Rates desk');
    expect(created?.memberIds).toEqual(expect.arrayContaining([stack.bot.userId, stack.alice.userId, bob]));
    await waitFor('welcome', () => stack.botMessages(created!.streamId).length >= 1, 30_000);
    expect(stack.botMessages(created!.streamId)[0]?.text).toMatch(/Welcome to Rates desk/);
  });

  it('welcomes a user who joins a room (USERJOINEDROOM listener)', async () => {
    const before = stack.botMessages(room).length;
    const now = Date.now();
    stack.sim.control.injectEvent(stack.bot.userId, {
      id: `join${now}`,
      timestamp: now,
      type: 'USERJOINEDROOM',
      initiator: { user: { userId: stack.alice.userId, displayName: 'Alice', username: 'alice' } },
      payload: {
        userJoinedRoom: {
          stream: { streamId: room, streamType: 'ROOM' },
          affectedUser: { userId: bob, displayName: 'Bob', username: 'bob' },
        },
      },
    });
    await waitFor('welcome', () => stack.botMessages(room).length > before, 30_000);
    expect(stack.botMessages(room).at(-1)?.text).toMatch(/Welcome .*Bob.*\/help/);
  });

  it('/poll posts a form, votes arrive as form submissions, /poll close posts the tally', async () => {
    await ask('@baton-bot /poll "Lunch?" pizza sushi');
    const formMsg = stack.botMessages(room).at(-1)!;
    expect(formMsg.presentationML).toContain('baton-poll');
    const actions = [...formMsg.presentationML.matchAll(/name="(vote:[0-9a-f]+:\d)"/g)].map((m) => m[1]!);
    expect(actions).toHaveLength(2);
    const vote = (fromUserId: number, action: string) =>
      stack.sim.control.submitForm(room, {
        fromUserId,
        formMessageId: formMsg.messageId,
        formId: 'baton-poll',
        formValues: { action },
      });
    vote(stack.alice.userId, actions[1]!);
    vote(bob, actions[1]!);
    vote(stack.alice.userId, actions[0]!); // alice again: refused
    await waitFor(
      'double vote refused',
      () => stack.botMessages(room).at(-1)?.text.includes('already voted') ?? false,
      30_000,
    );
    // Two messages: the results, then the poll message's update (its buttons give way to the results). Waiting
    // for both keeps the update from landing in the next test's answer.
    const [result, closedPoll] = await ask('@baton-bot /poll close', 2);
    expect(result).toMatch(/Results: Lunch\? \(2 votes\)/);
    expect(result).toMatch(/sushi\s*2/);
    expect(closedPoll).toMatch(/This poll is closed \(2 votes\)/);
  });

  it('/quote fetches from the market-data endpoint', async () => {
    const [quote] = await ask('@baton-bot /quote MSFT');
    expect(quote).toMatch(/411\.35 USD/);
  });

  it('greets a user who opens an IM; /feedback is a multi-step dialog', async () => {
    const im = stack.sim.control.createStream({
      type: 'IM',
      memberIds: [stack.alice.userId, stack.bot.userId],
    }).streamId;
    await waitFor('IM greeting', () => stack.botMessages(im).length >= 1, 30_000);
    expect(stack.botMessages(im)[0]?.text).toMatch(/Hi Alice/);
    expect((await ask('/feedback', 1, im))[0]).toMatch(/How would you rate me/);
    expect((await ask('4', 1, im))[0]).toMatch(/What should we improve/);
    expect((await ask('more coffee', 1, im))[0]).toMatch(/Thank you/);
  });

  it('/remind fires later, even across a worker restart (SIGTERM, then a new process)', async () => {
    const [ok] = await ask('@baton-bot /remind 0.05 stand-up');
    expect(ok).toMatch(/OK, I will remind you/);
    const w = stack.workers.get('ref1')!;
    expect((await w.kill('SIGTERM')).code).toBe(0);
    const before = stack.botMessages(room).length;
    await sleep(3_500);
    expect(stack.botMessages(room)).toHaveLength(before);
    await stack.spawnWorker('ref2');
    await waitFor('reminder', () => stack.botMessages(room).length > before, 20_000);
    expect(stack.botMessages(room).at(-1)?.text).toMatch(/reminder: stand-up/);
  });
});
