import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { type BotUser, call, sendMessageML, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

simTest.override({
  simOptions: { longPollMs: 150 },
  botOptions: { username: 'ctl-bot', displayName: 'Control Bot' },
});

const ctl = (sim: Simulator, method: string, path: string, body?: unknown) =>
  call(sim, method, path, {}, body);

async function readAll(sim: Simulator, bot: BotUser, feedId: string): Promise<WireEvent[]> {
  const r = await call(sim, 'POST', `/agent/v5/datafeeds/${feedId}/read`, bot.session.headers, { ackId: '' });
  return (r.body as { events: WireEvent[] }).events;
}

describe('/_sim control API', () => {
  simTest('creates and lists users, the bot marked', async ({ sim, bot }) => {
    const r = await ctl(sim, 'POST', '/_sim/users', { username: 'dave', displayName: 'Dave D' });
    expect(r.status).toBe(201);
    const { userId } = r.body as { userId: number };
    expect(Number.isInteger(userId)).toBe(true);
    const list = (await ctl(sim, 'GET', '/_sim/users')).body as {
      userId: number;
      username: string;
      bot: boolean;
    }[];
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId, username: 'dave', bot: false, displayName: 'Dave D' }),
        expect.objectContaining({ userId: bot.userId, bot: true, hasPublicKey: true }),
      ]),
    );
    expect((await ctl(sim, 'POST', '/_sim/users', { username: 'dave' })).status).toBe(409);
    expect((await ctl(sim, 'POST', '/_sim/users', {})).status).toBe(400);
    expect(
      (await ctl(sim, 'POST', '/_sim/users', { username: 'keyless', publicKey: 'not a pem' })).status,
    ).toBe(400);
  });

  simTest(
    'creates streams, lists them by member, sends messages that reach the bot as a client’s would',
    async ({ sim, bot }) => {
      const erin = (
        (await ctl(sim, 'POST', '/_sim/users', { username: 'erin', displayName: 'Erin' })).body as {
          userId: number;
        }
      ).userId;
      const feed = (
        (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string }
      ).id;
      const s = await ctl(sim, 'POST', '/_sim/streams', {
        type: 'ROOM',
        name: 'Ops',
        memberIds: [erin, bot.userId],
      });
      expect(s.status).toBe(201);
      const { streamId } = s.body as { streamId: string };
      const mine = (await ctl(sim, 'GET', `/_sim/streams?memberId=${erin}`)).body as {
        streamId: string;
        name: string;
      }[];
      expect(mine).toEqual([expect.objectContaining({ streamId, name: 'Ops', type: 'ROOM' })]);

      const m = await ctl(sim, 'POST', `/_sim/streams/${streamId}/messages`, {
        fromUserId: erin,
        text: 'hey @ctl-bot, #ignored',
      });
      expect(m.status).toBe(201);
      const { messageId } = m.body as { messageId: string };
      const events = (await readAll(sim, bot, feed)).filter((e) => e.type === 'MESSAGESENT');
      expect(events).toHaveLength(1);
      const msg = events[0]!.payload.messageSent!.message as {
        message: string;
        data: string;
        user: { userId: number };
      };
      expect(events[0]!.messageId).toBe(messageId);
      expect(msg.user.userId).toBe(erin);
      expect(msg.message).toContain('<span class="entity" data-entity-id="0">@Control Bot</span>,');
      expect(JSON.parse(msg.data)).toEqual({
        '0': {
          id: [{ type: 'com.symphony.user.userId', value: String(bot.userId) }],
          type: 'com.symphony.user.mention',
        },
      });

      const list = (await ctl(sim, 'GET', `/_sim/streams/${streamId}/messages`)).body as {
        messageId: string;
        text: string;
      }[];
      expect(list.map((x) => x.messageId)).toEqual([messageId]);
      expect(list[0]!.text).toBe('hey @Control Bot, #ignored');
      expect(
        (await ctl(sim, 'POST', `/_sim/streams/${streamId}/messages`, { fromUserId: 1, text: 'x' })).status,
      ).toBe(400);
    },
  );

  simTest('form submissions reach the form’s author as SYMPHONYELEMENTSACTION', async ({ sim, bot }) => {
    const fay = sim.control.createUser({ username: 'fay' }).userId;
    const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [fay, bot.userId] });
    const feed = (
      (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string }
    ).id;
    const form = await sendMessageML(
      sim,
      bot.session.headers,
      streamId,
      '<messageML><form id="f1"><text-field name="q"/><button name="go">Go</button></form></messageML>',
    );
    const formMessageId = form.body.messageId as string;
    const r = await ctl(sim, 'POST', `/_sim/streams/${streamId}/forms`, {
      fromUserId: fay,
      formMessageId,
      formId: 'f1',
      formValues: { action: 'go', q: '42' },
    });
    expect(r.status).toBe(204);
    const action = (await readAll(sim, bot, feed)).find((e) => e.type === 'SYMPHONYELEMENTSACTION')!;
    expect(action.initiator.user.userId).toBe(fay);
    expect(action.payload.symphonyElementsAction).toEqual({
      stream: { streamId, streamType: 'IM' },
      formMessageId,
      formId: 'f1',
      formValues: { action: 'go', q: '42' },
    });
    const bad = await ctl(sim, 'POST', `/_sim/streams/${streamId}/forms`, {
      fromUserId: fay,
      formMessageId: 'nope',
      formId: 'f1',
    });
    expect(bad.status).toBe(400);
  });

  simTest('injects raw events, malformed ones included, on the user’s feeds', async ({ sim, bot }) => {
    const feed = (
      (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string }
    ).id;
    expect(
      (
        await ctl(sim, 'POST', '/_sim/events', {
          userId: bot.userId,
          event: { type: 'WHATEVER', junk: true },
        })
      ).status,
    ).toBe(204);
    expect(
      (await ctl(sim, 'POST', '/_sim/events', { userId: bot.userId, event: 'not even an object' })).status,
    ).toBe(204);
    const events = (await readAll(sim, bot, feed)) as unknown[];
    expect(events).toEqual([{ type: 'WHATEVER', junk: true }, 'not even an object']);
  });

  simTest('stats count messages, feeds and requests by route template', async ({ sim }) => {
    const s = (await ctl(sim, 'GET', '/_sim/stats')).body as {
      messagesCreated: number;
      feeds: { id: string; version: string; delivered: number }[];
      requests: Record<string, number>;
    };
    expect(s.messagesCreated).toBe(
      sim.control.listStreams().reduce((n, st) => n + sim.control.listMessages(st.streamId).length, 0),
    );
    expect(s.messagesCreated).toBeGreaterThanOrEqual(2);
    expect(s.requests['POST /agent/v5/datafeeds/:id/read']).toBeGreaterThanOrEqual(3);
    expect(s.requests['POST /login/pubkey/authenticate']).toBe(1);
    expect(s.feeds.filter((f) => f.version === 'v2').length).toBeGreaterThanOrEqual(3);
  });
});

describe('live updates (SSE)', () => {
  simTest('pushes new messages and form submissions of the user’s streams only', async ({ sim, bot }) => {
    const gus = sim.control.createUser({ username: 'gus' }).userId;
    const hal = sim.control.createUser({ username: 'hal' }).userId;
    const mine = sim.control.createStream({ type: 'IM', memberIds: [gus, bot.userId] }).streamId;
    const other = sim.control.createStream({ type: 'IM', memberIds: [hal, bot.userId] }).streamId;
    const ac = new AbortController();
    const res = await fetch(`${sim.url}/_sim/live?userId=${gus}`, { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const got: {
      streamId: string;
      message?: { text: string; messageId: string };
      formSubmission?: unknown;
    }[] = [];
    const pump = (async () => {
      let buf = '';
      const dec = new TextDecoder();
      while (got.length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i !== -1) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of frame.split('\n'))
            if (line.startsWith('data: ')) got.push(JSON.parse(line.slice(6)));
          i = buf.indexOf('\n\n');
        }
      }
    })();
    sim.control.sendMessage(other, { fromUserId: hal, text: 'not for gus' });
    const { messageId } = sim.control.sendMessage(mine, { fromUserId: gus, text: 'for gus' });
    sim.control.submitForm(mine, {
      fromUserId: gus,
      formMessageId: messageId,
      formId: 'f',
      formValues: { a: 1 },
    });
    await pump;
    ac.abort();
    expect(got[0]).toMatchObject({ streamId: mine, message: { messageId, text: 'for gus' } });
    expect(got[1]).toMatchObject({ streamId: mine, formSubmission: { formId: 'f', formValues: { a: 1 } } });
    expect((await ctl(sim, 'GET', '/_sim/live?userId=1')).status).toBe(400);
  });

  simTest('onMessage listeners see every message', async ({ sim, bot }) => {
    const seen: string[] = [];
    const off = sim.control.onMessage((_s, m) => seen.push(m.text));
    const ivy = sim.control.createUser({ username: 'ivy' }).userId;
    const s = sim.control.createStream({ type: 'IM', memberIds: [ivy, bot.userId] }).streamId;
    sim.control.sendMessage(s, { fromUserId: ivy, text: 'ping' });
    await sendMessageML(sim, bot.session.headers, s, '<messageML>pong</messageML>');
    off();
    sim.control.sendMessage(s, { fromUserId: ivy, text: 'after' });
    expect(seen).toEqual(['ping', 'pong']);
  });
});
