import { createMemoryStateStore, type StateStore } from '@baton/bot';
import { crashAfter, createTestBot, SimulatedCrashError, type TestBot } from '@baton/bot/testkit';
import { uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import { createRedisStateStore } from '@baton/worker';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_SUMMARY_KEY } from '../src/feedback-dialog.ts';
import { createReferenceBot } from '../src/index.ts';
import { POLL_FORM_ID } from '../src/poll-commands.ts';
import { pollButtons, pollResultRows } from './support/poll-message.ts';

// The reference bot on shared state, as in production: N worker replicas share one Redis state store, and the
// runtime delivers each event at least once (a worker that dies mid-handler has the event handled again, with
// the same event key). The retry cases crash the bot right after one of its writes (`crashAfter`), retry the
// event (`emit` again), and check that nothing was lost and nothing counted twice.

let redis: Redis;

redisTest.beforeAll(({ redis: fileRedis }) => {
  redis = fileRedis;
});

const redisStore = () => createRedisStateStore(redis, { prefix: `${uniquePrefix('bot')}:` });
const botOn = (state: StateStore): TestBot =>
  createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }), { state });

function replicas() {
  const state = redisStore();
  return [botOn(state), botOn(state)] as const;
}

describe('reference bot on a shared Redis state store', () => {
  it('continues a /feedback dialog on another replica', async () => {
    const [a, b] = replicas();
    await a.send('@bot /feedback');
    expect((await b.send('5'))[0]?.text).toBe('Thanks! What should we improve?');
    expect((await a.send('Nothing, it is great'))[0]?.text).toContain('Your feedback is saved');
    expect(await b.state.get('feedback:2001')).toMatchObject({ rating: 5, comment: 'Nothing, it is great' });
  });

  it('tallies poll votes handled by different replicas, one per user', async () => {
    const [a, b] = replicas();
    const [form] = await a.send('@bot /poll "Ship it?" yes no');
    const [yes, no] = pollButtons(form?.message).map((b) => b.name);
    await a.submitForm(POLL_FORM_ID, { action: yes }, { from: a.users.alice });
    await b.submitForm(POLL_FORM_ID, { action: yes }, { from: b.users.bob });
    await Promise.all([
      a.submitForm(POLL_FORM_ID, { action: no }, { from: a.users.carol }),
      b.submitForm(POLL_FORM_ID, { action: no }, { from: b.users.carol }),
    ]);
    const [result] = await b.send('@bot /poll close');
    expect(result?.text).toContain('Ship it? (3 votes)');
    expect(result?.message).toContain('<tr><td>yes</td><td>2</td></tr>');
    expect(result?.message).toContain('<tr><td>no</td><td>1</td></tr>');
  });
});

const stores: [string, () => StateStore][] = [
  ['memory', () => createMemoryStateStore()],
  ['redis', redisStore],
];

async function retryLast(t: TestBot) {
  const event = t.events.at(-1);
  if (!event) throw new Error('no event to retry');
  return t.emit(event);
}

describe.each(stores)('reference bot retried after a crash (%s state store)', (_name, makeStore) => {
  it('a poll vote recorded just before the crash is kept, counted once, and not refused as a second vote', async () => {
    const store = makeStore();
    const t = botOn(crashAfter(store, 'setFieldIfAbsent', 1));
    const [form] = await t.send('@bot /poll "Ship it?" yes no');
    const [yes, no] = pollButtons(form?.message).map((b) => b.name);

    await expect(t.submitForm(POLL_FORM_ID, { action: yes }, { from: t.users.alice })).rejects.toBeInstanceOf(
      SimulatedCrashError,
    );
    // The retry finds its own vote: confirmed, never refused as a second vote.
    const texts = async () => (await retryLast(t)).map((r) => r.text);
    expect(await texts()).toEqual(['Alice Martin: your vote for yes is counted.']);
    expect(await texts()).not.toContain(expect.stringContaining('already voted'));
    await t.submitForm(POLL_FORM_ID, { action: no }, { from: t.users.bob });
    const [again] = await t.submitForm(POLL_FORM_ID, { action: no }, { from: t.users.alice });
    expect(again?.text).toContain('you already voted');

    const [result] = await t.send('@bot /poll close');
    expect(result?.text).toContain('Ship it? (2 votes)');
    expect(pollResultRows(result?.message)).toEqual([
      ['yes', 1],
      ['no', 1],
    ]);
  });

  it('/poll close retried after it closed the poll still posts the results, once', async () => {
    const store = makeStore();
    const t = botOn(crashAfter(store, 'delete', 1));
    const [form] = await t.send('@bot /poll "Lunch?" pizza sushi');
    const [pizza] = pollButtons(form?.message).map((b) => b.name);
    await t.submitForm(POLL_FORM_ID, { action: pizza }, { from: t.users.carol });

    await expect(t.send('@bot /poll close')).rejects.toBeInstanceOf(SimulatedCrashError);
    const retried = await retryLast(t);
    expect(retried.map((r) => r.text)).toEqual([expect.stringContaining('Results: Lunch? (1 vote)')]);
    expect(pollResultRows(retried[0]?.message)).toEqual([
      ['pizza', 1],
      ['sushi', 0],
    ]);
    expect(await retryLast(t)).toEqual([]);
    const [none] = await t.send('@bot /poll close');
    expect(none?.text).toContain('There is no open poll here');
  });

  it('/feedback counts the rating once when the last answer is retried', async () => {
    const store = makeStore();
    // Call #1 is the rate limiter's (it counts /feedback with incrementFieldOnce too); #2 is the rating counter.
    const t = botOn(crashAfter(store, 'incrementFieldOnce', 2));
    await t.send('@bot /feedback');
    expect((await t.send('4')).map((r) => r.text)).toEqual(['Thanks! What should we improve?']);
    await expect(t.send('Faster replies')).rejects.toBeInstanceOf(SimulatedCrashError);
    const retried = await retryLast(t);
    expect(retried.map((r) => r.text)).toEqual(['Thank you, Alice Martin! Your feedback is saved.']);
    expect(await retryLast(t)).toEqual([]);
    expect(await store.getFields(FEEDBACK_SUMMARY_KEY)).toEqual({ '4': 1 });
    expect(await store.get(`feedback:${t.users.alice.userId}`)).toMatchObject({
      rating: 4,
      comment: 'Faster replies',
    });
    // The dialog is over: the next plain message is not taken as an answer.
    expect(await t.send('hello')).toEqual([]);
  });

  it('/feedback retried after the dialog was cleared neither loses the thanks nor posts it twice', async () => {
    const store = makeStore();
    const t = botOn(store);
    await t.send('@bot /feedback');
    await t.send('5');
    const crashing = botOn(crashAfter(store, 'delete', 2));
    // Same user, same stream, same store: `crashing` continues the dialog, and dies after forgetting it.
    await expect(crashing.send('Nothing')).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(crashing.replies.map((r) => r.text)).toEqual(['Thank you, Alice Martin! Your feedback is saved.']);
    expect(await retryLast(crashing)).toEqual([]);
    expect(await store.getFields(FEEDBACK_SUMMARY_KEY)).toEqual({ '5': 1 });
  });

  it('/remind retried after scheduling sets one reminder', async () => {
    const t = botOn(makeStore());
    const [ack] = await t.send('@bot /remind 1 stand-up');
    expect(ack?.text).toBe('OK, I will remind you in 1 minute.');
    expect(await retryLast(t)).toEqual([]);
    expect(t.scheduled).toHaveLength(1);
    expect((await t.runScheduled()).map((r) => r.text)).toEqual([
      expect.stringContaining('reminder: stand-up'),
    ]);
  });
});
