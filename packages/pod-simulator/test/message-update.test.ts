import { describe, expect } from 'vitest';
import { call, sendMessageML, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

// `POST /agent/v4/stream/{sid}/message/{mid}/update` (agent-api-public.yaml, "Update an existing message").

type Wire = Record<string, unknown> & { messageId: string; timestamp: number; message: string; data: string };

/** Where a call goes and whose it is: the bot's session and the room unless said otherwise. */
interface Target {
  headers?: Record<string, string>;
  streamId?: string;
}

simTest.override({
  simOptions: { longPollMs: 200 },
  botOptions: { username: 'upd-bot', displayName: 'Update Bot' },
  aliceOptions: { displayName: 'Alice Analyst' },
});

/** `simTest` plus `otherRoom` (a room of the bot alone) and the file's two calls, `update` and `post`. */
const updateTest = simTest
  .extend('otherRoom', { scope: 'file' }, ({ sim, bot }) => {
    return sim.control.createStream({ type: 'ROOM', name: 'Other', memberIds: [bot.userId] }).streamId;
  })
  .extend('update', { scope: 'file' }, ({ sim, bot, room }) => {
    /** Updates message `messageId` to `message` (and `data`). */
    async function update(
      messageId: string,
      message: string | undefined,
      { headers = bot.session.headers, streamId = room, data }: Target & { data?: unknown } = {},
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
    return update;
  })
  .extend('post', { scope: 'file' }, ({ sim, bot, room }) => {
    /** Posts `message`, which must be accepted. */
    async function post(
      message: string,
      { headers = bot.session.headers, streamId = room }: Target = {},
    ): Promise<Wire> {
      const r = await sendMessageML(sim, headers, streamId, message);
      expect(r.status).toBe(200);
      return r.body as Wire;
    }
    return post;
  });

describe('message update', () => {
  updateTest(
    'returns the new version: a new id, replacing the old one, with the first version’s id and time',
    async ({ sim, bot, room, post, update }) => {
      const original = await post('<messageML><form id="f"><button name="go">Go</button></form></messageML>');
      const r = await update(original.messageId, '<messageML>Closed</messageML>', {
        data: { k: { type: 'x', version: '1.0' } },
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
      const stored = sim.control.listMessages(room);
      const old = stored.find((m) => m.messageId === original.messageId);
      const next = stored.find((m) => m.messageId === r.body.messageId);
      expect(old?.replacedBy).toBe(r.body.messageId);
      expect(next?.replacing).toBe(original.messageId);
      expect(next?.text).toBe('Closed');
      // The agent's message list shows the markers too.
      const listed = await call(
        sim,
        'GET',
        `/agent/v4/stream/${room}/message?since=${original.timestamp}`,
        bot.session.headers,
      );
      const byId = new Map((listed.body as Wire[]).map((m) => [m.messageId, m]));
      expect(byId.get(original.messageId)?.replacedBy).toBe(r.body.messageId);
      expect(byId.get(r.body.messageId)?.replacing).toBe(original.messageId);
    },
  );

  updateTest(
    'chains: the next update of the latest version keeps the first version as initialMessageId',
    async ({ post, update }) => {
      const v1 = await post('<messageML>v1</messageML>');
      const v2 = (await update(v1.messageId, '<messageML>v2</messageML>')).body;
      const v3 = await update(v2.messageId, '<messageML>v3</messageML>');
      expect(v3.status).toBe(200);
      expect(v3.body.replacing).toBe(v2.messageId);
      expect(v3.body.initialMessageId).toBe(v1.messageId);
      expect(v3.body.initialTimestamp).toBe(v1.timestamp);
    },
  );

  updateTest(
    'delivers a MESSAGESENT of the new version to every member',
    async ({ sim, aliceBot, post, update }) => {
      const feed = (await call(sim, 'POST', '/agent/v5/datafeeds', aliceBot.session.headers)).body as {
        id: string;
      };
      const original = await post('<messageML>before</messageML>');
      const r = await update(original.messageId, '<messageML>after</messageML>');
      const read = await call(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, aliceBot.session.headers, {
        ackId: '',
      });
      const sent = (read.body as { events: WireEvent[] }).events.filter((e) => e.type === 'MESSAGESENT');
      expect(sent.map((e) => e.messageId)).toEqual([original.messageId, r.body.messageId]);
      const message = sent[1]?.payload.messageSent?.message as Wire;
      expect(message.replacing).toBe(original.messageId);
      expect(message.initialMessageId).toBe(original.messageId);
      expect(message.message).toContain('after');
    },
  );

  updateTest(
    'refuses a version already replaced, a missing message, one of another stream, and an empty message (400)',
    async ({ sim, room, otherRoom, post, update }) => {
      const original = await post('<messageML>one</messageML>');
      const next = await update(original.messageId, '<messageML>two</messageML>');
      const stale = await update(original.messageId, '<messageML>three</messageML>');
      expect(stale.status).toBe(400);
      expect(stale.body.code).toBe(400);
      expect(stale.body.message).toContain(next.body.messageId);

      for (const [what, streamId, messageId, message] of [
        ['missing', room, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '<messageML>x</messageML>'],
        ['elsewhere', otherRoom, next.body.messageId, '<messageML>x</messageML>'],
        ['empty', room, next.body.messageId, '  '],
        ['invalid', room, next.body.messageId, '<messageML><blink>x</blink></messageML>'],
      ] as const) {
        expect((await update(messageId, message, { streamId })).status, what).toBe(400);
      }
      // Nothing was changed by the refused calls.
      expect(
        sim.control.listMessages(room).find((m) => m.messageId === next.body.messageId)?.replacedBy,
      ).toBeUndefined();
    },
  );

  updateTest(
    'refuses to update another user’s message (403), and a stream the caller is not in (403)',
    async ({ aliceBot, otherRoom, post, update }) => {
      const mine = await post('<messageML>alice says</messageML>', { headers: aliceBot.session.headers });
      const r = await update(mine.messageId, '<messageML>bot edit</messageML>');
      expect(r.status).toBe(403);
      const botsOwn = await post('<messageML>private</messageML>', { streamId: otherRoom });
      const outsider = await update(botsOwn.messageId, '<messageML>x</messageML>', {
        headers: aliceBot.session.headers,
        streamId: otherRoom,
      });
      expect(outsider.status).toBe(403);
    },
  );

  updateTest('requires a session (401)', async ({ post, update }) => {
    const original = await post('<messageML>x</messageML>');
    const r = await update(original.messageId, '<messageML>y</messageML>', {
      headers: { sessionToken: 'nope' },
    });
    expect(r.status).toBe(401);
  });
});
