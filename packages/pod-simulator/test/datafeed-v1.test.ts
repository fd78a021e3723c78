import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';
import { type BotUser, botUser, call, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

simTest.override({
  simOptions: { longPollMs: 300, v1QueueSize: 20, maxEventsPerRead: 100 },
  botOptions: { username: 'v1-bot' },
  aliceOptions: { displayName: 'Alice' },
});

const create = async (sim: Simulator, bot: BotUser): Promise<string> => {
  const r = await call(sim, 'POST', '/agent/v4/datafeed/create', bot.session.headers);
  expect(r.status).toBe(200);
  return (r.body as { id: string }).id;
};
const read = (sim: Simulator, bot: BotUser, id: string) =>
  call(sim, 'GET', `/agent/v4/datafeed/${id}/read`, bot.session.headers);

describe('datafeed v1', () => {
  simTest('answers 204 with no body after the hold when nothing arrived', async ({ sim, bot }) => {
    const id = await create(sim, bot);
    const res = await fetch(`${sim.url}/agent/v4/datafeed/${id}/read`, { headers: bot.session.headers });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('a held read returns the events as soon as they arrive', async () => {
    const slow = await createSimulator({ longPollMs: 20_000 });
    try {
      const b = await botUser(slow, 'held-bot');
      const a = slow.control.createUser({ username: 'a' }).userId;
      const im = slow.control.createStream({ type: 'IM', memberIds: [a, b.userId] }).streamId;
      const r = await call(slow, 'POST', '/agent/v4/datafeed/create', b.session.headers);
      const id = (r.body as { id: string }).id;
      const pending = call(slow, 'GET', `/agent/v4/datafeed/${id}/read`, b.session.headers);
      await sleep(100);
      slow.control.sendMessage(im, { fromUserId: a, text: 'wake up' });
      const got = await pending;
      expect(got.status).toBe(200);
      const events = got.body as WireEvent[];
      expect(events.map((e) => e.type)).toEqual(['MESSAGESENT']);
    } finally {
      await slow.close();
    }
  });

  simTest(
    'delivers events in order as a non-empty array with the int64 initiator id',
    async ({ sim, bot, alice, im }) => {
      const id = await create(sim, bot);
      sim.control.sendMessage(im, { fromUserId: alice, text: 'one' });
      sim.control.sendMessage(im, { fromUserId: alice, text: 'two' });
      const r = await read(sim, bot, id);
      expect(r.status).toBe(200);
      const events = r.body as WireEvent[];
      expect(events).toHaveLength(2);
      expect(events[0]!.initiator.user.userId).toBe(alice);
      const texts = events.map((e) => (e.payload.messageSent!.message as { message: string }).message);
      expect(texts[0]).toContain('one');
      expect(texts[1]).toContain('two');
      const again = await read(sim, bot, id);
      expect(again.status).toBe(204);
    },
  );

  simTest(
    'expires a feed whose unread queue reaches the capacity, then answers 400',
    async ({ sim, bot, alice, im }) => {
      const id = await create(sim, bot);
      const s0 = sim.control.stats();
      const before = s0.feedsExpired;
      // Every live v1 feed of the bot receives the same events, so each of them reaches the capacity.
      const live = s0.feeds.filter((f) => f.version === 'v1' && f.userId === bot.userId && !f.expired).length;
      for (let i = 0; i < 20; i++) sim.control.sendMessage(im, { fromUserId: alice, text: `m${i}` });
      const r = await read(sim, bot, id);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: 400, message: 'Could not find a datafeed with the provided id' });
      const stats = sim.control.stats();
      expect(stats.feedsExpired).toBe(before + live);
      const feed = stats.feeds.find((f) => f.id === id);
      expect(feed).toMatchObject({ version: 'v1', expired: true, expiredReason: 'capacity', highWater: 20 });
    },
  );

  simTest('answers 400 on an unknown id and on another user’s feed', async ({ sim, bot }) => {
    const r = await read(sim, bot, 'does-not-exist');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 400, message: 'Could not find a datafeed with the provided id' });
    const other = await botUser(sim, 'v1-other');
    const theirs = (await call(sim, 'POST', '/agent/v4/datafeed/create', other.session.headers)).body as {
      id: string;
    };
    expect((await read(sim, bot, theirs.id)).status).toBe(400);
  });

  simTest('keeps at most 5 feeds per user: the oldest is invalidated', async ({ sim }) => {
    const u = await botUser(sim, 'v1-five');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(
        ((await call(sim, 'POST', '/agent/v4/datafeed/create', u.session.headers)).body as { id: string }).id,
      );
    }
    const first = await call(sim, 'GET', `/agent/v4/datafeed/${ids[0]}/read`, u.session.headers);
    expect(first.status).toBe(400);
    const last = await call(sim, 'GET', `/agent/v4/datafeed/${ids[5]}/read`, u.session.headers);
    expect(last.status).toBe(204);
  });

  simTest('caps a read at maxEventsPerRead and honours ?limit', async ({ sim, bot, alice, im }) => {
    const id = await create(sim, bot);
    for (let i = 0; i < 5; i++) sim.control.sendMessage(im, { fromUserId: alice, text: `x${i}` });
    const r = await call(sim, 'GET', `/agent/v4/datafeed/${id}/read?limit=3`, bot.session.headers);
    expect((r.body as unknown[]).length).toBe(3);
    const rest = await read(sim, bot, id);
    expect((rest.body as unknown[]).length).toBe(2);
  });
});
