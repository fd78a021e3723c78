import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';
import { type BotUser, botUser, call, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

const GONE =
  'Do not retry: the feed no longer exists, please create a new feed. The datafeed has a 30 minutes ttl. ' +
  'Alternatively, the format of the provided ackId may be incorrect.';

simTest.override({
  simOptions: { longPollMs: 300, redeliveryMs: 400, feedTtlMs: 5_000 },
  botOptions: { username: 'v2-bot' },
  aliceOptions: { displayName: 'Alice' },
});

type ReadBody = { events: WireEvent[]; ackId: string };
/** A fanout feed of `user`. */
const create = async (sim: Simulator, user: BotUser): Promise<string> => {
  const r = await call(sim, 'POST', '/agent/v5/datafeeds', user.session.headers, {});
  expect(r.status).toBe(201);
  return (r.body as { id: string }).id;
};
/** A read of `user`'s feed `id`. */
const read = (sim: Simulator, user: BotUser, id: string, ackId: string) =>
  call(sim, 'POST', `/agent/v5/datafeeds/${id}/read`, user.session.headers, { ackId, updatePresence: true });
const texts = (b: ReadBody): string[] =>
  b.events.map((e) =>
    (e.payload.messageSent!.message as { message: string }).message.replace(/<[^>]+>/g, ''),
  );

describe('datafeed v2', () => {
  simTest('creates fanout feeds with the real id shape, lists and deletes them', async ({ sim, bot }) => {
    const r = await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers, { tag: 'blue' });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const feed = r.body as { id: string; type: string };
    expect(feed.id).toMatch(/^[0-9a-f]{32}_f$/);
    expect(feed.type).toBe('fanout');
    const list = await call(sim, 'GET', '/agent/v5/datafeeds', bot.session.headers);
    expect((list.body as { id: string }[]).map((f) => f.id)).toContain(feed.id);
    const del = await call(sim, 'DELETE', `/agent/v5/datafeeds/${feed.id}`, bot.session.headers);
    expect(del.status).toBe(204);
    const after = await read(sim, bot, feed.id, '');
    expect(after.status).toBe(400);
    expect(after.body).toEqual({ code: 400, message: GONE });
    expect((await call(sim, 'DELETE', `/agent/v5/datafeeds/${feed.id}`, bot.session.headers)).status).toBe(
      400,
    );
  });

  simTest('answers an empty read after the hold with events: [] and an ackId', async ({ sim, bot }) => {
    const id = await create(sim, bot);
    const r = await read(sim, bot, id, '');
    expect(r.status).toBe(200);
    expect((r.body as ReadBody).events).toEqual([]);
    expect((r.body as ReadBody).ackId).toEqual(expect.any(String));
    const again = await read(sim, bot, id, (r.body as ReadBody).ackId);
    expect(again.status).toBe(200);
  });

  simTest(
    'acknowledged events are not delivered again; unacknowledged ones come back after the delay',
    async ({ sim, bot, alice, im }) => {
      const id = await create(sim, bot);
      sim.control.sendMessage(im, { fromUserId: alice, text: 'first' });
      const r1 = (await read(sim, bot, id, '')).body as ReadBody;
      expect(texts(r1)).toEqual(['first']);
      // Acknowledge r1; nothing new → empty after the hold.
      const r2 = (await read(sim, bot, id, r1.ackId)).body as ReadBody;
      expect(r2.events).toEqual([]);

      sim.control.sendMessage(im, { fromUserId: alice, text: 'second' });
      const r3 = (await read(sim, bot, id, r2.ackId)).body as ReadBody;
      expect(texts(r3)).toEqual(['second']);
      // Do not acknowledge r3: read again with the old ackId → redelivered after redeliveryMs.
      let redelivered: ReadBody | undefined;
      for (let i = 0; i < 20 && !redelivered?.events.length; i++)
        redelivered = (await read(sim, bot, id, r2.ackId)).body as ReadBody;
      expect(texts(redelivered!)).toEqual(['second']);
      expect(redelivered!.events[0]!.id).toBe(r3.events[0]!.id);
      await read(sim, bot, id, redelivered!.ackId);
      const stats = sim.control.stats().feeds.find((f) => f.id === id)!;
      expect(stats).toMatchObject({
        version: 'v2',
        delivered: 3,
        acknowledged: 2,
        redelivered: 1,
        unread: 0,
      });
    },
  );

  simTest('5,000 messages over 50 streams arrive exactly once, in order per stream', async ({ sim }) => {
    const vol = await botUser(sim, 'volume-bot');
    const senders = Array.from(
      { length: 50 },
      (_, i) => sim.control.createUser({ username: `vol${i}` }).userId,
    );
    const streams = senders.map(
      (u) => sim.control.createStream({ type: 'IM', memberIds: [u, vol.userId] }).streamId,
    );
    const id = await create(sim, vol);
    for (let i = 0; i < 5000; i++) {
      sim.control.sendMessage(streams[i % 50]!, {
        fromUserId: senders[i % 50]!,
        text: `n${Math.floor(i / 50)}`,
      });
    }
    const seen = new Map<string, number[]>();
    let ackId = '';
    let total = 0;
    while (total < 5000) {
      const r = (await read(sim, vol, id, ackId)).body as ReadBody;
      expect(r.events.length).toBeGreaterThan(0);
      ackId = r.ackId;
      for (const e of r.events) {
        if (e.type !== 'MESSAGESENT') continue;
        const msg = e.payload.messageSent!.message as { stream: { streamId: string }; message: string };
        const n = Number(/n(\d+)/.exec(msg.message)![1]);
        const list = seen.get(msg.stream.streamId) ?? [];
        list.push(n);
        seen.set(msg.stream.streamId, list);
        total++;
      }
    }
    expect(seen.size).toBe(50);
    for (const list of seen.values()) expect(list).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await read(sim, vol, id, ackId);
    expect(sim.control.stats().feeds.find((f) => f.id === id)).toMatchObject({
      unread: 0,
      acknowledged: 5000,
      delivered: 5000,
    });
  });

  simTest('answers 400 on an ackId it never issued', async ({ sim, bot }) => {
    const id = await create(sim, bot);
    const r = await read(sim, bot, id, 'not-an-ack-id');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 400, message: GONE });
  });

  simTest('answers 400 on an unknown feed id', async ({ sim, bot }) => {
    const r = await read(sim, bot, '0123456789abcdef0123456789abcdef_f', '');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 400 });
  });

  it('deletes a feed not read for the TTL', async () => {
    const short = await createSimulator({ longPollMs: 100, feedTtlMs: 300 });
    try {
      const b = await botUser(short, 'ttl-bot');
      const r = await call(short, 'POST', '/agent/v5/datafeeds', b.session.headers);
      const id = (r.body as { id: string }).id;
      await sleep(700);
      const after = await call(short, 'POST', `/agent/v5/datafeeds/${id}/read`, b.session.headers, {
        ackId: '',
      });
      expect(after.status).toBe(400);
      const s = short.control.stats();
      expect(s.feedsExpired).toBe(1);
      expect(s.feeds.find((f) => f.id === id)).toMatchObject({ expired: true, expiredReason: 'ttl' });
      const list = await call(short, 'GET', '/agent/v5/datafeeds', b.session.headers);
      expect(list.body).toEqual([]);
    } finally {
      await short.close();
    }
  });

  simTest(
    'creates a 21st live feed (201) and refuses it on read (403), as the spec declares',
    async ({ sim, bot }) => {
      const u = await botUser(sim, 'v2-many');
      const ids: string[] = [];
      for (let i = 0; i < 21; i++) ids.push(await create(sim, u));
      const list = await call(sim, 'GET', '/agent/v5/datafeeds', u.session.headers);
      expect((list.body as { id: string }[]).map((f) => f.id)).toEqual(ids);
      const [oldest, ...rest] = ids as [string, ...string[]];
      const newest = rest.at(-1) as string;
      const refused = await read(sim, u, newest, '');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        code: 403,
        message: expect.stringMatching(/^Too many feeds created: a user may only have 20 active feeds/),
      });
      // The 20 older ones read as usual (a held long poll that ends empty).
      expect((await read(sim, u, oldest, '')).status).toBe(200);
      // Deleting an older feed brings the 21st within the 20: its read is served.
      expect((await call(sim, 'DELETE', `/agent/v5/datafeeds/${oldest}`, u.session.headers)).status).toBe(
        204,
      );
      const served = await read(sim, u, newest, '');
      expect(served.status).toBe(200);
      expect(served.body).toMatchObject({ events: [], ackId: expect.any(String) });
      // Another user's feeds do not count.
      expect((await read(sim, bot, await create(sim, bot), '')).status).toBe(200);
    },
  );

  simTest('a forced expiry (control) makes the next read 400', async ({ sim, bot }) => {
    const id = await create(sim, bot);
    const r = await call(sim, 'POST', '/_sim/feeds/expire', {}, { feedId: id });
    expect(r.body).toEqual({ expired: 1 });
    expect((await read(sim, bot, id, '')).status).toBe(400);
  });

  simTest('datahose delivers pod-wide events of the requested types', async ({ sim, alice }) => {
    const watcher = await botUser(sim, 'hose-bot');
    const carol = sim.control.createUser({ username: 'carol' }).userId;
    const room = sim.control.createStream({
      type: 'ROOM',
      name: 'Elsewhere',
      memberIds: [carol, alice],
    }).streamId;
    const body = { type: 'datahose', tag: 'hose', eventTypes: ['MESSAGESENT'], ackId: '' };
    const first = call(sim, 'POST', '/agent/v5/events/read', watcher.session.headers, body);
    await sleep(50);
    sim.control.sendMessage(room, { fromUserId: carol, text: 'not for the bot' });
    let r = (await first).body as ReadBody;
    if (r.events.length === 0)
      r = (
        await call(sim, 'POST', '/agent/v5/events/read', watcher.session.headers, { ...body, ackId: r.ackId })
      ).body as ReadBody;
    expect(r.events.map((e) => e.type)).toEqual(['MESSAGESENT']);
    const bad = await call(sim, 'POST', '/agent/v5/events/read', watcher.session.headers, {
      type: 'datahose',
      tag: 'x',
      eventTypes: [],
    });
    expect(bad.status).toBe(400);
  });
});
