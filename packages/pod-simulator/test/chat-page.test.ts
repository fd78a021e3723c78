import { hasTestChromium, openTestPage, TEST_CHROMIUM_PATH } from '@baton/shared/testing';
import { describe, expect } from 'vitest';
import type { SimFormSubmission, Simulator } from '../src/types.ts';
import { type BotUser, sendMessageML } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

// The simulator's web chat, driven in a real headless Chromium (Debian's /usr/bin/chromium via
// playwright-core). Skipped, with the reason, where that browser is not installed.

const CHROMIUM = TEST_CHROMIUM_PATH;
const hasChromium = hasTestChromium();
const WAIT = { timeout: 15_000 };

interface FeedEvent {
  type: string;
  payload: Record<string, { stream?: { streamId?: string }; message?: { stream?: { streamId?: string } } }>;
}

/** Posts MessageML as the bot through the real agent API (multipart create, in the bot's session). */
async function postAsBot(sim: Simulator, bot: BotUser, streamId: string, messageML: string): Promise<string> {
  const created = await sendMessageML(sim, bot.session.headers, streamId, messageML);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.messageId as string;
}

/** A datafeed v2 of the bot, over the real agent API: what the bot would receive from now on. */
async function openBotFeed(sim: Simulator, bot: BotUser) {
  const token = bot.session.sessionToken;
  const headers = { sessionToken: token, 'content-type': 'application/json' };
  const createdFeed = await fetch(`${sim.url}/agent/v5/datafeeds`, {
    method: 'POST',
    headers,
    body: '{}',
  });
  expect(createdFeed.status).toBe(201);
  const { id } = (await createdFeed.json()) as { id: string };
  let ackId = '';
  const read = async (holdMs = 5_000): Promise<FeedEvent[]> => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), holdMs);
    try {
      const response = await fetch(`${sim.url}/agent/v5/datafeeds/${id}/read`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ackId }),
        signal: ac.signal,
      });
      const body = (await response.json()) as { events: FeedEvent[] | null; ackId: string };
      ackId = body.ackId;
      return body.events ?? [];
    } catch (err) {
      if (ac.signal.aborted) return [];
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    read,
    /** Reads until `done` holds for the events of `streamId` seen so far (other streams' events are dropped). */
    async readUntil(done: (events: FeedEvent[]) => boolean, streamId: string): Promise<FeedEvent[]> {
      const seen: FeedEvent[] = [];
      const deadline = Date.now() + WAIT.timeout;
      while (!done(seen) && Date.now() < deadline) {
        for (const e of await read()) {
          const p = Object.values(e.payload)[0];
          if ((p?.stream?.streamId ?? p?.message?.stream?.streamId) === streamId) seen.push(e);
        }
      }
      return seen;
    },
    close: async () => {
      await fetch(`${sim.url}/agent/v5/datafeeds/${id}`, {
        method: 'DELETE',
        headers: { sessionToken: token },
      });
    },
  };
}

simTest.override({
  botOptions: { username: 'baton-bot', displayName: 'Baton Bot' },
  aliceOptions: { displayName: 'Alice Martin' },
  bobOptions: { displayName: 'Bob Chen' },
});

/**
 * `simTest` plus the chat's people and streams by id (`ids`: the bot, alice and bob, the room "Trading Desk" of
 * the three with bob's greeting in it, the IM of alice and the bot), `chatPage` (the page in headless Chromium,
 * closed with the file) and `botForm(messageML)`: a form the bot posts in the room, once the page shows it.
 */
const chatTest = simTest
  .extend('ids', { scope: 'file' }, ({ sim, bot, alice, bob }) => {
    const { control } = sim;
    const memberIds = [bot.userId, alice, bob];
    const room = control.createStream({ type: 'ROOM', name: 'Trading Desk', memberIds }).streamId;
    const im = control.createStream({ type: 'IM', memberIds: [alice, bot.userId] }).streamId;
    control.sendMessage(room, { fromUserId: bob, text: 'Morning @alice, desk is open' });
    return { bot: bot.userId, alice, bob, room, im };
  })
  .extend('chatPage', { scope: 'file' }, async ({ sim }, { onCleanup }) => {
    const opened = await openTestPage({ viewport: { width: 1280, height: 1000 }, timeoutMs: WAIT.timeout });
    onCleanup(() => opened.browser.close());
    // Serve the page WITHOUT its Content-Security-Policy, so the hostile-content checks below test the
    // page's own sanitiser, not the CSP behind it (the CSP is checked over HTTP above).
    await opened.page.route(`${sim.url}/`, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    });
    return opened;
  })
  .extend('botForm', { scope: 'file' }, ({ sim, bot, ids, chatPage: { page } }) => {
    async function botForm(messageML: string) {
      const messageId = await postAsBot(sim, bot, ids.room, messageML);
      const form = page.locator(`#messages .message[data-message-id="${messageId}"] form`);
      await form.waitFor();
      return { messageId, form };
    }
    return botForm;
  });

describe('chat page over HTTP', () => {
  chatTest(
    'serves the page with a strict Content-Security-Policy and its assets from the simulator itself',
    async ({ sim }) => {
      const page = await fetch(`${sim.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/default-src 'none'/);
      const html = await page.text();
      // Every asset the page references is local, and served.
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
      expect(refs.length).toBeGreaterThanOrEqual(3);
      for (const ref of refs) {
        expect(ref.startsWith('/chat/'), ref).toBe(true);
        const asset = await fetch(`${sim.url}${ref}`);
        expect(asset.status, ref).toBe(200);
      }
      for (const module of ['app.js', 'render-presentationml.js', 'form-values.js']) {
        const asset = await fetch(`${sim.url}/chat/${module}`);
        expect(asset.headers.get('content-type'), module).toMatch(/^text\/javascript/);
        expect(await asset.text(), module).not.toMatch(
          /\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/,
        );
      }
    },
  );
});

const browserSuite = `chat page in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is not installed)`}`;

describe.skipIf(!hasChromium)(browserSuite, () => {
  // Chromium starts under the hook's timeout.
  chatTest.beforeAll(async ({ chatPage: _opened }) => {}, 60_000);

  chatTest(
    'lists the users, the bot marked, and opens a user’s rooms and IMs',
    async ({ sim, ids, chatPage: { page } }) => {
      await page.goto(`${sim.url}/`);
      await page.waitForSelector('body[data-ready="true"]');
      const cards = page.locator('.user-card');
      expect(await cards.count()).toBe(3);
      const botCard = page.locator(`.user-card[data-user-id="${ids.bot}"]`);
      expect(await botCard.locator('.badge').textContent()).toBe('BOT');
      expect(await page.locator(`.user-card[data-user-id="${ids.alice}"] .badge`).count()).toBe(0);

      await page.click(`.user-card[data-user-id="${ids.alice}"]`);
      await page.waitForSelector(`.stream[data-stream-id="${ids.room}"]`);
      expect(await page.locator(`.stream[data-stream-id="${ids.room}"] .stream-name`).textContent()).toBe(
        'Trading Desk',
      );
      // The IM is named after the other member.
      expect(await page.locator(`.stream[data-stream-id="${ids.im}"] .stream-name`).textContent()).toBe(
        'Baton Bot',
      );
      await page.waitForSelector('#live[data-status="open"]');
    },
  );

  chatTest('opens a room and shows its messages, mentions rendered', async ({ ids, chatPage: { page } }) => {
    await page.click(`.stream[data-stream-id="${ids.room}"]`);
    const first = page.locator('#messages .message').first();
    await first.waitFor();
    expect(await first.locator('.sender').textContent()).toBe('Bob Chen');
    expect(await first.locator('.message-body').textContent()).toContain('desk is open');
    expect(await first.locator('.entity-mention').textContent()).toBe('@Alice Martin');
  });

  chatTest(
    'sends a message with an @mention picked from the suggestions, and shows it',
    async ({ sim, ids, chatPage: { page } }) => {
      await page.click('#composer-input');
      await page.keyboard.type('Thanks @bo');
      await page.waitForSelector('#mentions:not([hidden]) li');
      await page.keyboard.press('Tab');
      expect(await page.inputValue('#composer-input')).toBe('Thanks @bob ');
      await page.keyboard.type('— quotes please');
      await page.keyboard.press('Enter');

      const mine = page.locator('#messages .message.mine').last();
      await mine.waitFor();
      expect(await mine.locator('.message-body').textContent()).toContain('quotes please');
      expect(await mine.locator('.entity-mention').textContent()).toBe('@Bob Chen');
      expect(await page.inputValue('#composer-input')).toBe('');
      // The simulator stored it as alice's message, with the mention entity.
      const stored = sim.control.listMessages(ids.room).at(-1);
      expect(stored?.sender.userId).toBe(ids.alice);
      expect(JSON.stringify(stored?.data)).toContain(String(ids.bob));
    },
  );

  chatTest(
    'renders a bot reply live (SSE): table, mention, cashtag, hashtag, card, list and code',
    async ({ sim, bot, ids, chatPage: { page } }) => {
      const messageId = await postAsBot(
        sim,
        bot,
        ids.room,
        `<messageML><p>Quotes for <mention uid="${ids.alice}"/>: <cash tag="AAPL"/> <hash tag="eod"/></p>` +
          '<table><thead><tr><th>Ticker</th><th>Bid</th><th>Ask</th></tr></thead>' +
          '<tbody><tr><td>AAPL</td><td>189.10</td><td>189.12</td></tr><tr><td>MSFT</td><td>411.00</td><td>411.05</td></tr></tbody></table>' +
          '<card accent="tempo-bg-color--blue"><header>Market colour</header><body>Flows were light.</body></card>' +
          '<ul><li>first</li><li>second</li></ul><pre>x = 1</pre></messageML>',
      );
      const message = page.locator(`#messages .message[data-message-id="${messageId}"]`);
      await message.waitFor();
      expect(await message.locator('.badge').textContent()).toBe('BOT');
      expect(await message.locator('table th').allTextContents()).toEqual(['Ticker', 'Bid', 'Ask']);
      expect(await message.locator('table tbody tr').count()).toBe(2);
      expect(await message.locator('table tbody tr').first().locator('td').allTextContents()).toEqual([
        'AAPL',
        '189.10',
        '189.12',
      ]);
      expect(await message.locator('.entity-mention').textContent()).toBe('@Alice Martin');
      expect(await message.locator('.entity-cashtag').textContent()).toBe('$AAPL');
      expect(await message.locator('.entity-hashtag').textContent()).toBe('#eod');
      expect(await message.locator('ul li').allTextContents()).toEqual(['first', 'second']);
      expect(await message.locator('pre').textContent()).toBe('x = 1');
      // The card opens on its header.
      const body = message.locator('.pml-card .pml-cardBody');
      expect(await body.isVisible()).toBe(false);
      await message.locator('.pml-card .pml-cardHeader').click();
      expect(await body.isVisible()).toBe(true);
      expect(await body.textContent()).toBe('Flows were light.');
    },
  );

  chatTest(
    'fills in and submits an Elements form; the simulator receives the SYMPHONYELEMENTSACTION values',
    async ({ sim, ids, botForm, chatPage: { page } }) => {
      const submitted = new Promise<SimFormSubmission>((resolve) => {
        const off = sim.control.onFormSubmission((submission) => {
          off();
          resolve(submission);
        });
      });
      const { messageId, form } = await botForm(
        '<messageML><form id="order-form">' +
          '<text-field name="ticker" label="Ticker" placeholder="e.g. AAPL" required="true"/>' +
          '<select name="side" label="Side"><option value="buy">Buy</option><option value="sell" selected="true">Sell</option></select>' +
          '<checkbox name="flags" value="urgent">Urgent</checkbox><checkbox name="flags" value="iceberg">Iceberg</checkbox>' +
          '<radio name="tif" value="day" checked="true">Day</radio><radio name="tif" value="gtc">GTC</radio>' +
          '<textarea name="comment" placeholder="Comment"></textarea>' +
          '<button type="reset">Reset</button>' +
          '<button name="place" type="action">Place order</button>' +
          '<button name="cancel" type="action" class="secondary">Cancel</button>' +
          '</form></messageML>',
      );
      // The placeholder is shown but is not a value.
      expect(await form.locator('input[data-name="ticker"]').getAttribute('placeholder')).toBe('e.g. AAPL');

      await form.locator('input[data-name="ticker"]').fill('MSFT');
      await form.locator('select[data-name="side"]').selectOption('buy');
      await form.locator('input[data-name="flags"][value="urgent"]').check();
      await form.locator('input[data-name="flags"][value="iceberg"]').check();
      await form.locator('input[data-name="tif"][value="gtc"]').check();
      await form.locator('textarea[data-name="comment"]').fill('asap');
      await form.locator('button', { hasText: 'Place order' }).click();

      const submission = await submitted;
      expect(submission).toMatchObject({
        streamId: ids.room,
        fromUserId: ids.alice,
        formMessageId: messageId,
        formId: 'order-form',
        formValues: {
          action: 'place',
          ticker: 'MSFT',
          side: 'buy',
          flags: ['urgent', 'iceberg'],
          tif: 'gtc',
          comment: 'asap',
        },
      });
      // Symphony locks a form once submitted.
      await form.locator('.form-status').waitFor();
      expect(await form.locator('input[data-name="ticker"]').isDisabled()).toBe(true);
      // For a human look: the bot's rich reply and the submitted form, in one shot.
      await page
        .locator('#messages .message')
        .filter({ has: page.locator('table') })
        .last()
        .evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: '/tmp/chat.png' });
    },
  );

  chatTest('does not submit a form with a required field left empty', async ({ sim, botForm }) => {
    const received: SimFormSubmission[] = [];
    const off = sim.control.onFormSubmission((submission) => received.push(submission));
    const { form } = await botForm(
      '<messageML><form id="need"><text-field name="who" required="true"/>' +
        '<button name="go" type="action">Go</button></form></messageML>',
    );
    await form.locator('button', { hasText: 'Go' }).click();
    // Then a valid submit goes through: had the first click been sent, it would have arrived first.
    await form.locator('input[data-name="who"]').fill('me');
    await form.locator('button', { hasText: 'Go' }).click();
    await form.locator('.form-status').waitFor();
    await expect.poll(() => received.length, WAIT).toBeGreaterThan(0);
    off();
    expect(received.map((s) => s.formValues)).toEqual([{ who: 'me', action: 'go' }]);
  });

  chatTest(
    'keeps working when field names collide with the form element’s own properties',
    async ({ sim, botForm }) => {
      const received: SimFormSubmission[] = [];
      const off = sim.control.onFormSubmission((submission) => received.push(submission));
      const { form } = await botForm(
        '<messageML><form id="clash" multi-submit="reset">' +
          '<text-field name="elements"/><text-field name="reset"/><text-field name="dataset"/>' +
          '<radio name="pick" value="a" checked="true">A</radio><radio name="pick" value="b">B</radio>' +
          '<button name="go" type="action">Go</button></form></messageML>',
      );
      await form.locator('input[data-name="elements"]').fill('e');
      await form.locator('input[data-name="reset"]').fill('r');
      await form.locator('input[data-name="dataset"]').fill('d');
      await form.locator('input[data-name="pick"][value="b"]').check();
      // Radios of one name stay one group: checking B unchecked A.
      expect(await form.locator('input[data-name="pick"][value="a"]').isChecked()).toBe(false);
      await form.locator('button', { hasText: 'Go' }).click();
      await expect.poll(() => received.length, WAIT).toBe(1);
      off();
      // The simulator has the submission before the page has its HTTP answer (and resets the form), so wait
      // for the reset rather than read the fields at once (a flake under load).
      await expect.poll(() => form.locator('input[data-name="elements"]').inputValue(), WAIT).toBe('');
      expect(received[0]?.formValues).toEqual({
        elements: 'e',
        reset: 'r',
        dataset: 'd',
        pick: 'b',
        action: 'go',
      });
      // multi-submit="reset": the form stays usable and returns to its initial values.
      expect(await form.locator('input[data-name="elements"]').isDisabled()).toBe(false);
      expect(await form.locator('input[data-name="pick"][value="a"]').isChecked()).toBe(true);
    },
  );

  chatTest('shows hostile text as text: nothing runs', async ({ sim, ids, chatPage: { page } }) => {
    const hostile = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>';
    const { messageId } = sim.control.sendMessage(ids.room, { fromUserId: ids.bob, text: hostile });
    const message = page.locator(`#messages .message[data-message-id="${messageId}"]`);
    await message.waitFor();
    expect(await message.locator('.message-body').textContent()).toContain(
      '<img src=x onerror="window.__pwned=1">',
    );
    expect(await message.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  chatTest(
    'strips script, handlers, javascript: links and frames from hostile PresentationML',
    async ({ sim, ids, chatPage: { page } }) => {
      // The simulator refuses such markup from the agent API, so a hostile server answer is staged in
      // the browser: the IM's message list is answered with a crafted message.
      const hostileMessage = {
        messageId: 'hostile-1',
        streamId: ids.im,
        timestamp: Date.now(),
        sender: { userId: ids.bot, username: 'baton-bot', displayName: 'Baton Bot', bot: true },
        presentationML:
          '<div data-format="PresentationML" data-version="2.0"><p class="safe">still readable</p>' +
          '<script>window.__pwned=3</script><img src="x" onerror="window.__pwned=4" alt="chart"/>' +
          '<a href="javascript:window.__pwned=5">bad link</a> <a href="https://example.com/ok">good link</a>' +
          '<iframe srcdoc="&lt;script&gt;parent.__pwned=6&lt;/script&gt;"></iframe>' +
          '<svg onload="window.__pwned=7"><circle r="1"/></svg>' +
          '<p onclick="window.__pwned=8" style="background:url(javascript:alert(1))">styled</p>' +
          '<object data="javascript:window.__pwned=9"></object><style>body{display:none}</style></div>',
        data: {},
        text: 'still readable',
      };
      await page.route(`${sim.url}/_sim/streams/${ids.im}/messages`, async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        await route.fulfill({ contentType: 'application/json', body: JSON.stringify([hostileMessage]) });
      });
      await page.click(`.stream[data-stream-id="${ids.im}"]`);
      const message = page.locator('#messages .message[data-message-id="hostile-1"]');
      await message.waitFor();
      const body = message.locator('.message-body');
      expect(await body.locator('p').first().textContent()).toBe('still readable');
      expect(await body.textContent()).toContain('[image: chart]');
      expect(await body.locator('script, img, iframe, svg, object, style').count()).toBe(0);
      const attributes = await body.evaluate((root) =>
        [root, ...root.querySelectorAll('*')].flatMap((node) => node.getAttributeNames()),
      );
      expect(
        attributes.filter((name) => name.startsWith('on') || name === 'style' || name === 'srcdoc'),
      ).toEqual([]);
      expect(await body.locator('a').count()).toBe(2);
      expect(await body.locator('a', { hasText: 'bad link' }).getAttribute('href')).toBeNull();
      expect(await body.locator('a', { hasText: 'good link' }).getAttribute('href')).toBe(
        'https://example.com/ok',
      );
      await body.locator('p', { hasText: 'styled' }).click();
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('body').isVisible()).toBe(true);
      await page.unroute(`${sim.url}/_sim/streams/${ids.im}/messages`);
    },
  );

  chatTest(
    'creates a room with members as the chosen user: ROOMCREATED to the creator, USERJOINEDROOM per member',
    async ({ sim, bot, ids, chatPage: { page } }) => {
      const feed = await openBotFeed(sim, bot);
      await page.click('#new-room-button');
      await page.locator('#new-room-dialog[open]').waitFor();
      // Everyone but the user is offered as a member.
      const offered = await page
        .locator('#new-room-members input[type="checkbox"]')
        .evaluateAll((boxes) => boxes.map((b) => Number((b as unknown as { value: string }).value)));
      expect(offered.sort()).toEqual([ids.bot, ids.bob].sort());
      await page.fill('#new-room-name', 'Ops <desk>');
      await page.check(`#new-room-members input[data-user-id="${ids.bob}"]`);
      await page.check(`#new-room-members input[data-user-id="${ids.bot}"]`);
      await page.click('#new-room-submit');

      const findRoom = () => sim.control.listStreams(ids.alice).find((s) => s.name === 'Ops <desk>');
      await expect.poll(findRoom, WAIT).toBeDefined();
      const created = findRoom();
      expect(created?.type).toBe('ROOM');
      expect(created?.createdByUserId).toBe(ids.alice);
      // Added in the order the page lists them (the bot, then bob).
      expect(created?.memberIds).toEqual([ids.alice, ids.bot, ids.bob]);
      // The page lists and opens it, the name shown as text.
      await page.locator(`.stream.active[data-stream-id="${created?.streamId}"]`).waitFor();
      expect(await page.locator('#stream-title').textContent()).toBe('Ops <desk>');
      expect(await page.locator('#new-room-dialog[open]').count()).toBe(0);

      // As on a pod: the bot was not in the room when alice created it, so no ROOMCREATED for it; then its own
      // USERJOINEDROOM, then bob's (the bot is a member by then), both initiated by alice.
      const events = await feed.readUntil((evs) => evs.length >= 2, created?.streamId ?? '');
      expect(events.map((e) => e.type)).toEqual(['USERJOINEDROOM', 'USERJOINEDROOM']);
      const joins = events as unknown as {
        initiator: { user: { userId: number } };
        payload: { userJoinedRoom: { affectedUser: { userId: number } } };
      }[];
      expect(joins.map((e) => e.initiator.user.userId)).toEqual([ids.alice, ids.alice]);
      expect(joins.map((e) => e.payload.userJoinedRoom.affectedUser.userId)).toEqual([ids.bot, ids.bob]);
      await feed.close();
    },
  );

  chatTest(
    'starts a new IM as the chosen user: INSTANTMESSAGECREATED, the IM opened; an existing IM is reopened',
    async ({ sim, bot, ids, chatPage: { page } }) => {
      // Bob has no IM with the bot yet.
      await page.selectOption('#me', String(ids.bob));
      await page.waitForSelector('#live[data-status="open"]');
      const feed = await openBotFeed(sim, bot);
      expect(sim.control.listStreams(ids.bob).filter((s) => s.type === 'IM')).toEqual([]);
      await page.click('#new-im-button');
      await page.locator('#new-im-dialog[open]').waitFor();
      expect(
        await page.locator('#new-im-user option').evaluateAll((o) => o.map((x) => x.textContent)),
      ).toEqual(['Baton Bot (bot)', 'Alice Martin']);
      await page.selectOption('#new-im-user', String(ids.bot));
      await page.click('#new-im-submit');

      await expect
        .poll(() => sim.control.listStreams(ids.bob).filter((s) => s.type === 'IM').length, WAIT)
        .toBe(1);
      const im = sim.control.listStreams(ids.bob).find((s) => s.type === 'IM');
      expect(im?.memberIds.sort()).toEqual([ids.bob, ids.bot].sort());
      await page.locator(`.stream.active[data-stream-id="${im?.streamId}"]`).waitFor();
      expect(await page.locator('#stream-title').textContent()).toBe('Baton Bot');

      const events = await feed.readUntil(
        (evs) => evs.some((e) => e.type === 'INSTANTMESSAGECREATED'),
        im?.streamId ?? '',
      );
      const created = events.find((e) => e.type === 'INSTANTMESSAGECREATED') as unknown as {
        initiator: { user: { userId: number } };
        payload: { instantMessageCreated: { stream: { streamId: string; streamType: string } } };
      };
      expect(created.initiator.user.userId).toBe(ids.bob);
      expect(created.payload.instantMessageCreated.stream).toMatchObject({
        streamId: im?.streamId,
        streamType: 'IM',
      });
      // A message the bot posts there shows up live in the open IM.
      const greeting = await postAsBot(sim, bot, im?.streamId ?? '', '<messageML>Hi Bob!</messageML>');
      await page.locator(`#messages .message[data-message-id="${greeting}"]`).waitFor();

      // The same member set again: the existing IM is opened, no second one and no second event.
      await page.click(`.stream[data-stream-id="${ids.room}"]`);
      await page.click('#new-im-button');
      await page.selectOption('#new-im-user', String(ids.bot));
      await page.click('#new-im-submit');
      await page.locator(`.stream.active[data-stream-id="${im?.streamId}"]`).waitFor();
      expect(sim.control.listStreams(ids.bob).filter((s) => s.type === 'IM')).toHaveLength(1);
      const again = await feed.read(500);
      expect(again.filter((e) => e.type === 'INSTANTMESSAGECREATED')).toEqual([]);
      await feed.close();
    },
  );

  chatTest('raised no page errors', ({ chatPage: { pageErrors } }) => {
    expect(pageErrors).toEqual([]);
  });
});
