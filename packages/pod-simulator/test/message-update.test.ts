import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';
import { botUser, call, sendMessageML, type WireEvent } from './support/sim-client.ts';

// `POST /agent/v4/stream/{sid}/message/{mid}/update` (agent-api-public.yaml, "Update an existing message").

let sim: Simulator;
let bot: Awaited<ReturnType<typeof botUser>>;
let alice: Awaited<ReturnType<typeof botUser>>;
let roomId: string;
let otherRoomId: string;

beforeAll(async () => {
  sim = await createSimulator({ longPollMs: 200 });
  bot = await botUser(sim, 'upd-bot', 'Update Bot');
  alice = await botUser(sim, 'alice', 'Alice Analyst');
  roomId = sim.control.createStream({
    type: 'ROOM',
    name: 'Desk',
    memberIds: [alice.userId, bot.userId],
  }).streamId;
  otherRoomId = sim.control.createStream({ type: 'ROOM', name: 'Other', memberIds: [bot.userId] }).streamId;
});
afterAll(async () => {
  await sim.close();
});

type Wire = Record<string, unknown> & { messageId: string; timestamp: number; message: string; data: string };

async function update(
  headers: Record<string, string>,
  streamId: string,
  messageId: string,
  message: string | undefined,
  data?: unknown,
) {
  const fd = new FormData();
  if (message !== undefined) fd.set('message', message);
  if (data !== undefined) fd.set('data', JSON.stringify(data));
  fd.set('version', '2.0');
  const res = await fetch(`${sim.url}/agent/v4/stream/${streamId}/message/${messageId}/update`, {
    method: 'POST',
    headers,
    body: fd,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Wire & { code?: number } };
}

async function post(message: string): Promise<Wire> {
  const r = await sendMessageML(sim, bot.session.headers, roomId, message);
  expect(r.status).toBe(200);
  return r.body as Wire;
}

describe('message update', () => {
  it('returns the new version: a new id, replacing the old one, with the first version’s id and time', async () => {
    const original = await post('<messageML><form id="f"><button name="go">Go</button></form></messageML>');
    const r = await update(bot.session.headers, roomId, original.messageId, '<messageML>Closed</messageML>', {
      k: { type: 'x', version: '1.0' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.messageId).not.toBe(original.messageId);
    expect(r.body.replacing).toBe(original.messageId);
    expect(r.body.initialMessageId).toBe(original.messageId);
    expect(r.body.initialTimestamp).toBe(original.timestamp);
    expect(r.body.timestamp).toBeGreaterThanOrEqual(original.timestamp);
    expect(r.body.message).toBe('<div data-format="PresentationML" data-version="2.0">Closed</div>');
    expect(JSON.parse(r.body.data)).toEqual({ k: { type: 'x', version: '1.0' } });
    expect(r.body.replacedBy).toBeUndefined();

    // Both versions are stored; the old one is marked replacedBy the new one.
    const stored = sim.control.listMessages(roomId);
    const old = stored.find((m) => m.messageId === original.messageId);
    const next = stored.find((m) => m.messageId === r.body.messageId);
    expect(old?.replacedBy).toBe(r.body.messageId);
    expect(next?.replacing).toBe(original.messageId);
    expect(next?.text).toBe('Closed');
    // The agent's message list shows the markers too.
    const listed = await call(
      sim,
      'GET',
      `/agent/v4/stream/${roomId}/message?since=${original.timestamp}`,
      bot.session.headers,
    );
    const byId = new Map((listed.body as Wire[]).map((m) => [m.messageId, m]));
    expect(byId.get(original.messageId)?.replacedBy).toBe(r.body.messageId);
    expect(byId.get(r.body.messageId)?.replacing).toBe(original.messageId);
  });

  it('chains: the next update of the latest version keeps the first version as initialMessageId', async () => {
    const v1 = await post('<messageML>v1</messageML>');
    const v2 = (await update(bot.session.headers, roomId, v1.messageId, '<messageML>v2</messageML>')).body;
    const v3 = await update(bot.session.headers, roomId, v2.messageId, '<messageML>v3</messageML>');
    expect(v3.status).toBe(200);
    expect(v3.body.replacing).toBe(v2.messageId);
    expect(v3.body.initialMessageId).toBe(v1.messageId);
    expect(v3.body.initialTimestamp).toBe(v1.timestamp);
  });

  it('delivers a MESSAGESENT of the new version to every member', async () => {
    const feed = (await call(sim, 'POST', '/agent/v5/datafeeds', alice.session.headers)).body as {
      id: string;
    };
    const original = await post('<messageML>before</messageML>');
    const r = await update(bot.session.headers, roomId, original.messageId, '<messageML>after</messageML>');
    const read = await call(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, alice.session.headers, {
      ackId: '',
    });
    const sent = (read.body as { events: WireEvent[] }).events.filter((e) => e.type === 'MESSAGESENT');
    expect(sent.map((e) => e.messageId)).toEqual([original.messageId, r.body.messageId]);
    const message = sent[1]?.payload.messageSent?.message as Wire;
    expect(message.replacing).toBe(original.messageId);
    expect(message.initialMessageId).toBe(original.messageId);
    expect(message.message).toContain('after');
  });

  it('refuses a version already replaced, a missing message, one of another stream, and an empty message (400)', async () => {
    const original = await post('<messageML>one</messageML>');
    const next = await update(bot.session.headers, roomId, original.messageId, '<messageML>two</messageML>');
    const stale = await update(
      bot.session.headers,
      roomId,
      original.messageId,
      '<messageML>three</messageML>',
    );
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe(400);
    expect(stale.body.message).toContain(next.body.messageId);

    const missing = await update(
      bot.session.headers,
      roomId,
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '<messageML>x</messageML>',
    );
    expect(missing.status).toBe(400);
    const elsewhere = await update(
      bot.session.headers,
      otherRoomId,
      next.body.messageId,
      '<messageML>x</messageML>',
    );
    expect(elsewhere.status).toBe(400);
    const empty = await update(bot.session.headers, roomId, next.body.messageId, '  ');
    expect(empty.status).toBe(400);
    const invalid = await update(
      bot.session.headers,
      roomId,
      next.body.messageId,
      '<messageML><blink>x</blink></messageML>',
    );
    expect(invalid.status).toBe(400);
    // Nothing was changed by the refused calls.
    expect(
      sim.control.listMessages(roomId).find((m) => m.messageId === next.body.messageId)?.replacedBy,
    ).toBeUndefined();
  });

  it('refuses to update another user’s message (403), and a stream the caller is not in (403)', async () => {
    const mine = await sendMessageML(sim, alice.session.headers, roomId, '<messageML>alice says</messageML>');
    const r = await update(
      bot.session.headers,
      roomId,
      (mine.body as Wire).messageId,
      '<messageML>bot edit</messageML>',
    );
    expect(r.status).toBe(403);
    const botsOwn = await sendMessageML(
      sim,
      bot.session.headers,
      otherRoomId,
      '<messageML>private</messageML>',
    );
    const outsider = await update(
      alice.session.headers,
      otherRoomId,
      (botsOwn.body as Wire).messageId,
      '<messageML>x</messageML>',
    );
    expect(outsider.status).toBe(403);
  });

  it('requires a session (401)', async () => {
    const original = await post('<messageML>x</messageML>');
    const r = await update({ sessionToken: 'nope' }, roomId, original.messageId, '<messageML>y</messageML>');
    expect(r.status).toBe(401);
  });
});
