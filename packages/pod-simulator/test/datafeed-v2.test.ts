import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';
import { botUser, call, type WireEvent } from './support/sim-client.ts';

let sim: Simulator;
let bot: Awaited<ReturnType<typeof botUser>>;
let aliceId: number;
let imId: string;

const GONE =
  'Do not retry: the feed no longer exists, please create a new feed. The datafeed has a 30 minutes ttl. ' +
  'Alternatively, the format of the provided ackId may be incorrect.';

beforeAll(async () => {
  sim = await createSimulator({ longPollMs: 300, redeliveryMs: 400, feedTtlMs: 5_000 });
  bot = await botUser(sim, 'v2-bot');
  aliceId = sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId;
  imId = sim.control.createStream({ type: 'IM', memberIds: [aliceId, bot.userId] }).streamId;
});
afterAll(async () => {
  await sim.close();
});

type ReadBody = { events: WireEvent[]; ackId: string };
const create = async (h = bot.session.headers): Promise<string> => {
  const r = await call(sim, 'POST', '/agent/v5/datafeeds', h, {});
  expect(r.status).toBe(201);
  return (r.body as { id: string }).id;
};
const read = (id: string, ackId: string, h = bot.session.headers) =>
  call(sim, 'POST', `/agent/v5/datafeeds/${id}/read`, h, { ackId, updatePresence: true });
const texts = (b: ReadBody): string[] =>
  b.events.map((e) =>
    (e.payload.messageSent!.message as { message: string }).message.replace(/<[^>]+>/g, ''),
  );

describe('datafeed v2', () => {
  it('creates fanout feeds with the real id shape, lists and deletes them', async () => {
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
    const after = await read(feed.id, '');
    expect(after.status).toBe(400);
    expect(after.body).toEqual({ code: 400, message: GONE });
    expect((await call(sim, 'DELETE', `/agent/v5/datafeeds/${feed.id}`, bot.session.headers)).status).toBe(
      400,
    );
  });

  it('answers an empty read after the hold with events: [] and an ackId', async () => {
    const id = await create();
    const r = await read(id, '');
    expect(r.status).toBe(200);
    expect((r.body as ReadBody).events).toEqual([]);
    expect((r.body as ReadBody).ackId).toEqual(expect.any(String));
    const again = await read(id, (r.body as ReadBody).ackId);
    expect(again.status).toBe(200);
  });

  it('acknowledged events are not delivered again; unacknowledged ones come back after the delay', async () => {
    const id = await create();
    sim.control.sendMessage(imId, { fromUserId: aliceId, text: 'first' });
    const r1 = (await read(id, '')).body as ReadBody;
    expect(texts(r1)).toEqual(['first']);
    // Acknowledge r1; nothing new → empty after the hold.
    const r2 = (await read(id, r1.ackId)).body as ReadBody;
    expect(r2.events).toEqual([]);

    sim.control.sendMessage(imId, { fromUserId: aliceId, text: 'second' });
    const r3 = (await read(id, r2.ackId)).body as ReadBody;
    expect(texts(r3)).toEqual(['second']);
    // Do not acknowledge r3: read again with the old ackId → redelivered after redeliveryMs.
    let redelivered: ReadBody | undefined;
    for (let i = 0; i < 20 && !redelivered?.events.length; i++)
      redelivered = (await read(id, r2.ackId)).body as ReadBody;
    expect(texts(redelivered!)).toEqual(['second']);
    expect(redelivered!.events[0]!.id).toBe(r3.events[0]!.id);
    await read(id, redelivered!.ackId);
    const stats = sim.control.stats().feeds.find((f) => f.id === id)!;
    expect(stats).toMatchObject({ version: 'v2', delivered: 3, acknowledged: 2, redelivered: 1, unread: 0 });
  });

  it('5,000 messages over 50 streams arrive exactly once, in order per stream', async () => {
    const vol = await botUser(sim, 'volume-bot');
    const senders = Array.from(
      { length: 50 },
      (_, i) => sim.control.createUser({ username: `vol${i}` }).userId,
    );
    const streams = senders.map(
      (u) => sim.control.createStream({ type: 'IM', memberIds: [u, vol.userId] }).streamId,
    );
    const id = await create(vol.session.headers);
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
      const r = (await read(id, ackId, vol.session.headers)).body as ReadBody;
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
    await read(id, ackId, vol.session.headers);
    expect(sim.control.stats().feeds.find((f) => f.id === id)).toMatchObject({
      unread: 0,
      acknowledged: 5000,
      delivered: 5000,
    });
  });

  it('answers 400 on an ackId it never issued', async () => {
    const id = await create();
    const r = await read(id, 'not-an-ack-id');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 400, message: GONE });
  });

  it('answers 400 on an unknown feed id', async () => {
    const r = await read('0123456789abcdef0123456789abcdef_f', '');
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

  it('creates a 21st live feed (201) and refuses it on read (403), as the spec declares', async () => {
    const u = await botUser(sim, 'v2-many');
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push(await create(u.session.headers));
    const list = await call(sim, 'GET', '/agent/v5/datafeeds', u.session.headers);
    expect((list.body as { id: string }[]).map((f) => f.id)).toEqual(ids);
    const [oldest, ...rest] = ids as [string, ...string[]];
    const newest = rest.at(-1) as string;
    const refused = await read(newest, '', u.session.headers);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      code: 403,
      message: expect.stringMatching(/^Too many feeds created: a user may only have 20 active feeds/),
    });
    // The 20 older ones read as usual (a held long poll that ends empty).
    expect((await read(oldest, '', u.session.headers)).status).toBe(200);
    // Deleting an older feed brings the 21st within the 20: its read is served.
    expect((await call(sim, 'DELETE', `/agent/v5/datafeeds/${oldest}`, u.session.headers)).status).toBe(204);
    const served = await read(newest, '', u.session.headers);
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ events: [], ackId: expect.any(String) });
    // Another user's feeds do not count.
    expect((await read(await create(), '')).status).toBe(200);
  });

  it('a forced expiry (control) makes the next read 400', async () => {
    const id = await create();
    const r = await call(sim, 'POST', '/_sim/feeds/expire', {}, { feedId: id });
    expect(r.body).toEqual({ expired: 1 });
    expect((await read(id, '')).status).toBe(400);
  });

  it('datahose delivers pod-wide events of the requested types', async () => {
    const watcher = await botUser(sim, 'hose-bot');
    const carol = sim.control.createUser({ username: 'carol' }).userId;
    const room = sim.control.createStream({
      type: 'ROOM',
      name: 'Elsewhere',
      memberIds: [carol, aliceId],
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
