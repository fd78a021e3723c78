import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { call, sendMessageML, type WireEvent } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

/** Opening of a FreeMarker interpolation, kept out of string literals. */
const FM = '$' + '{';

simTest.override({
  simOptions: { longPollMs: 200 },
  botOptions: { username: 'msg-bot', displayName: 'Msg Bot' },
  aliceOptions: { displayName: 'Alice Analyst' },
});

/**
 * `simTest` plus `carolId` (another user) and the bot's MessageML sent in the `room`: `ok` (must be accepted,
 * answers the message) and `rejected` (must be 400, answers the error).
 */
const messagesTest = simTest
  .extend('carolId', { scope: 'file' }, ({ sim }) => {
    return sim.control.createUser({ username: 'carol', displayName: 'Carol' }).userId;
  })
  .extend('ok', { scope: 'file' }, ({ sim, bot, room }) => {
    async function ok(message: string, data?: unknown) {
      const r = await sendMessageML(sim, bot.session.headers, room, message, data);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { messageId: string; message: string; data: string; user: { userId: number } };
    }
    return ok;
  })
  .extend('rejected', { scope: 'file' }, ({ sim, bot, room }) => {
    async function rejected(message: string, data?: unknown) {
      const r = await sendMessageML(sim, bot.session.headers, room, message, data);
      expect(r.status).toBe(400);
      return r.body as { code: number; message: string };
    }
    return rejected;
  });

describe('message create: MessageML → PresentationML + EntityJSON', () => {
  messagesTest(
    'converts text, formatting, mentions, hashtags and cashtags',
    async ({ bot, aliceBot, ok }) => {
      const m = await ok(
        `<messageML>Hi <mention uid="${aliceBot.userId}"/>, <b>bold</b> <i>it</i> <hash tag="rates"/> <cash tag="AAPL"/><br/><a href="https://x.test">l</a></messageML>`,
      );
      expect(m.message).toBe(
        '<div data-format="PresentationML" data-version="2.0">Hi <span class="entity" data-entity-id="mention1">@Alice Analyst</span>, <b>bold</b> <i>it</i> <span class="entity" data-entity-id="keyword1">#rates</span> <span class="entity" data-entity-id="keyword2">$AAPL</span><br/><a href="https://x.test">l</a></div>',
      );
      expect(JSON.parse(m.data)).toEqual({
        mention1: {
          type: 'com.symphony.user.mention',
          version: '1.0',
          id: [{ type: 'com.symphony.user.userId', value: String(aliceBot.userId) }],
        },
        keyword1: {
          type: 'org.symphonyoss.taxonomy',
          version: '1.0',
          id: [{ type: 'org.symphonyoss.taxonomy.hashtag', value: 'rates' }],
        },
        keyword2: {
          type: 'org.symphonyoss.fin.security',
          version: '1.0',
          id: [{ type: 'org.symphonyoss.fin.security.id.ticker', value: 'AAPL' }],
        },
      });
      expect(m.user.userId).toBe(bot.userId);
    },
  );

  messagesTest(
    'keeps tables, lists, code and cards, escapes text, and keeps the bot’s own data entries',
    async ({ ok }) => {
      const m = await ok(
        '<messageML><table><thead><tr><th>k</th></tr></thead><tbody><tr><td colspan="2">a &amp; b &lt; c</td></tr></tbody></table><ul><li>x</li></ul><code>c</code><card accent="tempo-bg-color--blue"><header>H</header><body>B</body></card></messageML>',
        { batonSource: { type: 'baton.source', version: '1.0', id: 'abc' } },
      );
      expect(m.message).toContain(
        '<table><thead><tr><th>k</th></tr></thead><tbody><tr><td colspan="2">a &amp; b &lt; c</td></tr></tbody></table>',
      );
      expect(m.message).toContain('<ul><li>x</li></ul><code>c</code>');
      expect(m.message).toContain(
        '<div class="card barStyle" data-accent-color="tempo-bg-color--blue"><div class="cardHeader">H</div><div class="cardBody">B</div></div>',
      );
      expect(JSON.parse(m.data)).toEqual({
        batonSource: { type: 'baton.source', version: '1.0', id: 'abc' },
      });
    },
  );

  messagesTest('converts Elements forms', async ({ ok }) => {
    const m = await ok(
      '<messageML><form id="order"><text-field name="qty" placeholder="Qty" required="true"/><textarea name="note">n</textarea><select name="side"><option value="b">Buy</option><option value="s" selected="true">Sell</option></select><radio name="r" value="1">One</radio><checkbox name="c" value="y">Yes</checkbox><button type="reset">Reset</button><button name="submit">Send</button></form></messageML>',
    );
    expect(m.message).toContain('<form id="order">');
    expect(m.message).toContain('<input type="text" name="qty" placeholder="Qty" required="true"/>');
    expect(m.message).toContain('<textarea name="note">n</textarea>');
    expect(m.message).toContain(
      '<select name="side"><option value="b">Buy</option><option value="s" selected="true">Sell</option></select>',
    );
    expect(m.message).toContain('<input type="radio" name="r" value="1"/>');
    expect(m.message).toContain('<button type="action" name="submit">Send</button>');
  });

  messagesTest(
    'evaluates simple FreeMarker interpolations from the data and accepts PresentationML as input',
    async ({ ok }) => {
      const m = await ok(`<messageML>Hello ${FM}who.name}</messageML>`, { who: { name: 'World' } });
      expect(m.message).toContain('Hello World');
      const p = await ok(
        '<div data-format="PresentationML" data-version="2.0"><p>plain <b>html</b></p></div>',
      );
      expect(p.message).toBe(
        '<div data-format="PresentationML" data-version="2.0"><p>plain <b>html</b></p></div>',
      );
    },
  );

  messagesTest('rejects malformed MessageML with 400 and a useful message', async ({ rejected }) => {
    expect((await rejected('<messageML><b>x</i></messageML>')).message).toMatch(/end-tag/);
    expect((await rejected('<messageML><p>open</messageML>')).message).toMatch(/end-tag|terminated/);
    expect((await rejected('<messageML><blink>x</blink></messageML>')).message).toMatch(/blink/);
    expect((await rejected('<messageML><p onclick="x">x</p></messageML>')).message).toMatch(/onclick/);
    expect(
      (await rejected('<messageML><form id="f"><text-field name="a"/></form></messageML>')).message,
    ).toMatch(/action button/);
    expect((await rejected('<messageML><text-field name="a"/></messageML>')).message).toMatch(/form/);
    expect((await rejected('<messageML><#if x>y</#if></messageML>')).message).toMatch(/Freemarker/);
    expect((await rejected(`<messageML>${FM}missing}</messageML>`)).message).toMatch(/missing/);
    expect((await rejected('just text')).message).toMatch(/messageML/);
    expect((await rejected('<messageML>x</messageML>', '{not json')).message).toMatch(/EntityJSON/);
    expect((await rejected('<messageML><hash tag="bad tag"/></messageML>')).code).toBe(400);
    expect((await rejected('')).code).toBe(400);
  });

  messagesTest(
    'rejects message + data over 1.5 MB with a V2Error (integer code), the documented names in details',
    async ({ sim, bot, room }) => {
      const big = `<messageML>${'x'.repeat(1024 * 1024)}</messageML>`;
      const r = await sendMessageML(sim, bot.session.headers, room, big, { pad: 'y'.repeat(600 * 1024) });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        code: 400,
        message: 'Limit message-content-max-total-size reached',
        details: { status: 'PAYLOAD_TOO_LARGE', code: 'LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED' },
      });
      // Exactly at the limit (message + data = 1.5 MiB, the bulk in data) goes through; one byte more does not.
      const message = '<messageML>at the limit</messageML>';
      const padFor = (total: number) =>
        'y'.repeat(total - message.length - JSON.stringify({ pad: '' }).length);
      const at = await sendMessageML(sim, bot.session.headers, room, message, {
        pad: padFor(1.5 * 1024 * 1024),
      });
      expect([at.status, at.body]).toEqual([200, expect.objectContaining({ messageId: expect.any(String) })]);
      const over = await sendMessageML(sim, bot.session.headers, room, message, {
        pad: padFor(1.5 * 1024 * 1024 + 1),
      });
      expect(over.status).toBe(400);
    },
  );

  messagesTest(
    'enforces the entity, unique-token and text-length limits',
    async ({ carolId, ok, rejected }) => {
      const mentions = (n: number) => `<messageML>${`<mention uid="${carolId}"/> `.repeat(n)}</messageML>`;
      await ok(mentions(80));
      expect((await rejected(mentions(81))).message).toMatch(/80 entities/);
      const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');
      await ok(`<messageML>${words(2_500)} ${words(2_500)}</messageML>`); // repeats do not count
      expect((await rejected(`<messageML>${words(2_501)}</messageML>`)).message).toMatch(/limit is 2500/);
      await ok(`<messageML><p>${'a'.repeat(60_000)}</p></messageML>`);
      expect((await rejected(`<messageML><p>${'a'.repeat(60_001)}</p></messageML>`)).message).toMatch(
        /too long/,
      );
    },
  );

  messagesTest(
    'refuses non-members (403), unknown streams (400) and missing sessions (401)',
    async ({ sim, bot, aliceBot, room, carolId }) => {
      const im = sim.control.createStream({ type: 'IM', memberIds: [aliceBot.userId, carolId] }).streamId;
      expect((await sendMessageML(sim, bot.session.headers, im, '<messageML>x</messageML>')).status).toBe(
        403,
      );
      expect((await sendMessageML(sim, bot.session.headers, 'nope', '<messageML>x</messageML>')).status).toBe(
        400,
      );
      expect((await sendMessageML(sim, {}, room, '<messageML>x</messageML>')).status).toBe(401);
    },
  );
});

describe('fan-out and listing', () => {
  messagesTest(
    'every member, the sender included, gets MESSAGESENT on each of their feeds',
    async ({ sim, bot, aliceBot, room, ok }) => {
      const feeds = {
        bot1: (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string },
        bot2: (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string },
        alice: (await call(sim, 'POST', '/agent/v5/datafeeds', aliceBot.session.headers)).body as {
          id: string;
        },
      };
      const sent = await ok('<messageML>fan out</messageML>');
      for (const [who, feed] of Object.entries(feeds)) {
        const h = who === 'alice' ? aliceBot.session.headers : bot.session.headers;
        const r = await call(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, h, { ackId: '' });
        const events = (r.body as { events: WireEvent[] }).events.filter((e) => e.type === 'MESSAGESENT');
        expect(
          events.map((e) => e.messageId),
          who,
        ).toEqual([sent.messageId]);
        const ev = events[0]!;
        expect(ev.initiator.user.userId).toBe(bot.userId);
        const msg = ev.payload.messageSent!.message as Record<string, unknown>;
        expect(msg).toMatchObject({
          messageId: sent.messageId,
          stream: { streamId: room, streamType: 'ROOM' },
        });
        expect(typeof msg.data).toBe('string');
      }
    },
  );

  messagesTest('keeps attachment metadata on the message and its MESSAGESENT', async ({ sim, bot, room }) => {
    const feed = (
      (await call(sim, 'POST', '/agent/v5/datafeeds', bot.session.headers)).body as { id: string }
    ).id;
    const fd = new FormData();
    fd.set('message', '<messageML>see file</messageML>');
    fd.append('attachment', new Blob([Buffer.alloc(1234)]), 'report.csv');
    const res = await fetch(`${sim.url}/agent/v4/stream/${room}/message/create`, {
      method: 'POST',
      headers: bot.session.headers,
      body: fd,
    });
    expect(res.status).toBe(200);
    const created = (await res.json()) as {
      messageId: string;
      attachments: { name: string; size: number }[];
    };
    expect(created.attachments).toEqual([expect.objectContaining({ name: 'report.csv', size: 1234 })]);
    const r = await call(sim, 'POST', `/agent/v5/datafeeds/${feed}/read`, bot.session.headers, {
      ackId: '',
    });
    const ev = (r.body as { events: WireEvent[] }).events.find((e) => e.messageId === created.messageId)!;
    expect((ev.payload.messageSent!.message as { attachments: unknown[] }).attachments).toEqual(
      created.attachments,
    );
  });

  messagesTest('uses the real id formats', async ({ room, ok }) => {
    const m = await ok('<messageML>ids</messageML>');
    expect(m.messageId).toMatch(/^[A-Za-z0-9_-]{34}$/);
    expect(room).toMatch(/^[A-Za-z0-9_-]{34}$/);
  });

  messagesTest(
    'lists a stream’s messages with since and limit; accepts the standard base64 stream id',
    async ({ sim, bot, room, ok }) => {
      // `since` is inclusive: taken in a millisecond of its own, after the earlier tests' messages and before these.
      await sleep(5);
      const since = Date.now();
      await sleep(5);
      for (let i = 0; i < 3; i++) await ok(`<messageML>list ${i}</messageML>`);
      const r = await call(
        sim,
        'GET',
        `/agent/v4/stream/${room}/message?since=${since}&limit=2`,
        bot.session.headers,
      );
      expect(r.status).toBe(200);
      const list = r.body as { message: string }[];
      expect(list).toHaveLength(2);
      expect(list[0]!.message).toContain('list 0');
      const std = room.replace(/-/g, '+').replace(/_/g, '/') + '==';
      const r2 = await call(
        sim,
        'GET',
        `/agent/v4/stream/${encodeURIComponent(std)}/message?since=${since}`,
        bot.session.headers,
      );
      expect((r2.body as unknown[]).length).toBe(3);
      expect(
        (await call(sim, 'GET', `/agent/v4/stream/${room}/message?since=0&limit=501`, bot.session.headers))
          .status,
      ).toBe(400);
    },
  );

  messagesTest(
    'the control listing has sender, PresentationML, data, text and timestamp',
    async ({ sim, bot, aliceBot, room }) => {
      sim.control.sendMessage(room, { fromUserId: aliceBot.userId, text: '@msg-bot /price AAPL' });
      const list = sim.control.listMessages(room);
      const last = list[list.length - 1]!;
      expect(last).toMatchObject({
        streamId: room,
        sender: { userId: aliceBot.userId, username: 'alice' },
        text: '@Msg Bot /price AAPL',
        data: {
          '0': {
            type: 'com.symphony.user.mention',
            id: [{ type: 'com.symphony.user.userId', value: String(bot.userId) }],
          },
        },
      });
      expect(last.presentationML).toContain(
        '<span class="entity" data-entity-id="0">@Msg Bot</span> /price AAPL',
      );
      expect(last.timestamp).toEqual(expect.any(Number));
    },
  );
});
