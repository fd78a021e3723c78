/**
 * Wire fidelity (issue #3): Symphony's own legacy Node client, `symphony-api-client-node` 1.1.4, installed from
 * npm and used unchanged, against the simulator over HTTPS with normal certificate checks (the child trusts the
 * simulator's self-signed certificate through NODE_EXTRA_CA_CERTS). Its paths, headers, status handling and JSON
 * field names are its own; a mismatch with the simulator shows up as a failing call or a missing event here.
 * The client keeps module-level state and reads a JSON config file, so it runs in a child process
 * (`support/foreign-legacy-node-driver.ts`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@baton/testing';
import { afterAll, describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { type LegacyNodeChild, startLegacyNodeChild } from './support/foreign-legacy-node-child.ts';
import { simTest } from './support/sim-test.ts';

let client: LegacyNodeChild;
let dir: string;
/** The client's config.json content (hosts, ports, RSA key location). */
let config: Record<string, unknown>;

simTest.override({
  simOptions: { https: 'self-signed', longPollMs: 1000 },
  botOptions: { username: 'legacy-bot', displayName: 'Legacy Bot' },
  aliceOptions: { displayName: 'Alice Trader' },
});
simTest.beforeAll(async ({ sim, botAccount }) => {
  dir = mkdtempSync(join(tmpdir(), 'sim-foreign-node-'));
  const { hostname, port } = new URL(sim.url);
  writeFileSync(join(dir, 'bot-key.pem'), botAccount.privateKeyPem);
  writeFileSync(join(dir, 'ca.pem'), sim.caCertPem ?? '');
  const hosts = Object.fromEntries(
    ['sessionAuth', 'keyAuth', 'pod', 'agent'].flatMap((k) => [
      [`${k}Host`, hostname],
      [`${k}Port`, Number(port)],
    ]),
  );
  config = {
    ...hosts,
    authType: 'rsa',
    botUsername: 'legacy-bot',
    botEmailAddress: 'legacy-bot@example.com',
    botPrivateKeyPath: `${dir}/`,
    botPrivateKeyName: 'bot-key.pem',
    // Datafeed retry: 1 s backoff (the default grows to 64 s), a few attempts.
    maxRetries: 3,
    maxWaitInterval: 1,
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  client = await startLegacyNodeChild(join(dir, 'config.json'), join(dir, 'ca.pem'));
});

afterAll(async () => {
  await client?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A message as the client's `onMessage` gets it: the agent's V4Message plus the client's `messageText`. */
interface LegacyMessage {
  messageId: string;
  timestamp: number;
  message: string;
  data: string;
  user: { userId: number; displayName: string; username: string };
  stream: { streamId: string; streamType: string };
  messageText?: string;
  attachments?: { id: string; name: string; size: number }[];
}

const PML_OPEN = '<div data-format="PresentationML" data-version="2.0">';

/** Every message the client's `onMessage` listener got from event index `from` on. */
function messagesSince(from: number): LegacyMessage[] {
  return client.events
    .slice(from)
    .flatMap((e) => (e.event === 'message' ? (e.payload as LegacyMessage[]) : []));
}

function waitForMessage(messageId: string, from = 0): Promise<unknown> {
  const hasIt = (batch: unknown) => (batch as LegacyMessage[]).some((m) => m.messageId === messageId);
  return client.waitForEvent('message', hasIt, { from });
}

function messageById(sim: Simulator, streamId: string, messageId: string) {
  const found = sim.control.listMessages(streamId).find((m) => m.messageId === messageId);
  if (!found) throw new Error(`message ${messageId} not stored in ${streamId}`);
  return found;
}

const requests = (sim: Simulator, key: string): number => sim.control.stats().requests[key] ?? 0;
const liveV1Feeds = (sim: Simulator, botId: number) =>
  sim.control.stats().feeds.filter((f) => f.version === 'v1' && f.userId === botId && !f.expired);

describe('symphony-api-client-node 1.1.4, unchanged, against the simulator over HTTPS', () => {
  let room: string;
  let feedId: string;

  simTest(
    'authenticates with RSA on the pod and the key manager, then reads its session info',
    async ({ sim, botAccount: { userId: botId } }) => {
      const botUser = (await client.request({ op: 'init' })) as Record<string, unknown>;
      expect(botUser).toMatchObject({ id: botId, username: 'legacy-bot', displayName: 'Legacy Bot' });
      expect(requests(sim, 'POST /login/pubkey/authenticate')).toBe(1);
      expect(requests(sim, 'POST /relay/pubkey/authenticate')).toBe(1);
      expect(requests(sim, 'GET /pod/v2/sessioninfo')).toBe(1);
    },
  );

  simTest(
    'creates a datafeed v1 and hands a user message to onMessage with the wire field names and types',
    async ({ sim, botAccount: { userId: botId }, alice }) => {
      await client.request({ op: 'startFeed' });
      feedId = (await client.waitForEvent('created')) as string;
      expect(liveV1Feeds(sim, botId).map((f) => f.id)).toEqual([feedId]);

      room = sim.control.createStream({ type: 'ROOM', memberIds: [alice, botId], name: 'Desk' }).streamId;
      const mark = client.events.length;
      const { messageId } = sim.control.sendMessage(room, { fromUserId: alice, text: 'hello @legacy-bot' });
      await waitForMessage(messageId, mark);
      const [m] = messagesSince(mark).filter((x) => x.messageId === messageId);
      expect(m).toMatchObject({
        messageId,
        stream: { streamId: room, streamType: 'ROOM' },
        user: { userId: alice, username: 'alice', displayName: 'Alice Trader' },
      });
      expect(typeof m?.timestamp).toBe('number');
      expect(m?.message).toBe(messageById(sim, room, messageId).presentationML);
      expect(m?.message.startsWith('<div data-format="PresentationML" data-version="2.0"')).toBe(true);
      // The client's tag stripper only removes attribute-less tags, so the mention <span> survives (its quirk).
      expect(m?.messageText).toContain('hello');
      expect(m?.messageText).toContain('@Legacy Bot');
      // `data` is EntityJSON as a string; the client's own parser finds the bot's id in it.
      expect(typeof m?.data).toBe('string');
      expect(await client.call('getMentions', m)).toEqual([String(botId)]);

      const im = sim.control.createStream({ type: 'IM', memberIds: [alice, botId] }).streamId;
      const imMsg = sim.control.sendMessage(im, { fromUserId: alice, text: 'ping' });
      await waitForMessage(imMsg.messageId, mark);
      const [inIm] = messagesSince(mark).filter((x) => x.messageId === imMsg.messageId);
      expect(inIm?.stream).toEqual({ streamId: im, streamType: 'IM' });
      expect(inIm?.messageText).toBe('ping');
    },
  );

  simTest(
    'sends MessageML through the agent; the pod stores PresentationML and the bot never hears itself',
    async ({ sim, botAccount: { userId: botId }, alice }) => {
      const mark = client.events.length;
      const sent = await client.call<LegacyMessage>(
        'sendMessage',
        room,
        `Hi <b>there</b> <mention uid="${alice}"/> <cash tag="AAPL"/>`,
        null,
        'messageML',
      );
      const stored = messageById(sim, room, sent.messageId);
      expect(stored.sender.userId).toBe(botId);
      expect(stored.presentationML).toBe(
        `${PML_OPEN}Hi <b>there</b> <span class="entity" data-entity-id="mention1">@Alice Trader</span> ` +
          '<span class="entity" data-entity-id="keyword1">$AAPL</span></div>',
      );
      expect(sent.message).toBe(stored.presentationML);
      expect(sent).toMatchObject({ user: { userId: botId }, stream: { streamId: room, streamType: 'ROOM' } });
      expect(await client.call('getMentions', sent)).toEqual([String(alice)]);
      expect(await client.call('getCashtags', sent)).toEqual(['AAPL']);

      // The bot's own MESSAGESENT reaches its feed; the client drops it because initiator.user.userId equals
      // sessioninfo's `id` (same number on both sides). A later user message proves the feed moved past it.
      const after = sim.control.sendMessage(room, { fromUserId: alice, text: 'thanks' });
      await waitForMessage(after.messageId, mark);
      expect(messagesSince(mark).map((m) => m.messageId)).toEqual([after.messageId]);
    },
  );

  simTest('sends PresentationML with a file attachment as multipart', async ({ sim }) => {
    const content = Buffer.from('ccy,rate\nEURUSD,1.0842\n');
    const sent = await client.call<LegacyMessage>(
      'sendMessageWithAttachment',
      room,
      '<p>Rates attached</p>',
      null,
      'rates.csv',
      'text/csv',
      { $base64: content.toString('base64') },
      'presentationML',
    );
    const stored = messageById(sim, room, sent.messageId);
    expect(stored.presentationML).toBe(`${PML_OPEN}<p>Rates attached</p></div>`);
    expect(stored.attachments).toEqual([{ id: expect.any(String), name: 'rates.csv', size: content.length }]);
    expect(sent.attachments?.[0]).toMatchObject({ name: 'rates.csv', size: content.length });
  });

  simTest('reads stream history with getMessages', async ({ sim }) => {
    const history = await client.call<LegacyMessage[]>('getMessages', room, 0);
    expect(history.map((m) => m.messageId)).toEqual(sim.control.listMessages(room).map((m) => m.messageId));
    expect(history.every((m) => m.stream.streamId === room && typeof m.user.userId === 'number')).toBe(true);
  });

  simTest(
    'looks users up, creates an IM and a room, and manages room members through the pod API',
    async ({ sim, botAccount: { userId: botId }, alice }) => {
      expect(await client.call('getUserFromUsername', 'alice')).toMatchObject({
        id: alice,
        username: 'alice',
      });
      expect(await client.call('getUsersFromIdList', String(alice))).toMatchObject({
        users: [{ id: alice, displayName: 'Alice Trader' }],
      });

      const im = await client.call<{ id: string }>('getUserIMStreamId', [alice]);
      const imStream = sim.control.listStreams(botId).find((s) => s.streamId === im.id);
      expect(imStream?.type).toBe('IM');
      expect([...(imStream?.memberIds ?? [])].sort()).toEqual([botId, alice].sort());
      expect(await client.call('getUserIMStreamId', [alice])).toEqual(im);

      const mark = client.events.length;
      const created = await client.call<{ roomAttributes: { name: string }; roomSystemInfo: { id: string } }>(
        'createRoom',
        'Rates desk',
        'EMEA rates',
        [{ key: 'region', value: 'EMEA' }],
      );
      const roomId = created.roomSystemInfo.id;
      expect(created.roomAttributes).toMatchObject({ name: 'Rates desk', description: 'EMEA rates' });
      expect(await client.call('getRoomInfo', roomId)).toMatchObject({
        roomAttributes: { name: 'Rates desk' },
        roomSystemInfo: { id: roomId, createdByUserId: botId, active: true },
      });
      await client.call('addMemberToRoom', roomId, alice);
      const members = await client.call<{ id: number; owner: boolean }[]>('getRoomMembers', roomId);
      expect(members).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: botId, owner: true }),
          expect.objectContaining({ id: alice, owner: false }),
        ]),
      );
      const joined = (await client.waitForEvent('userjoinedroom', undefined, { from: mark })) as {
        payload: { userJoinedRoom: { stream: { streamId: string }; affectedUser: { userId: number } } };
      }[];
      expect(joined[0]?.payload.userJoinedRoom).toMatchObject({
        stream: { streamId: roomId },
        affectedUser: { userId: alice },
      });
    },
  );

  simTest('hands an Elements form submission to onSymphonyelementsaction', async ({ sim, alice }) => {
    const form = await client.call<LegacyMessage>(
      'sendMessage',
      room,
      '<form id="order"><text-field name="qty" placeholder="Quantity"/><button name="buy" type="action">Buy</button></form>',
      null,
      'messageML',
    );
    const mark = client.events.length;
    sim.control.submitForm(room, {
      fromUserId: alice,
      formMessageId: form.messageId,
      formId: 'order',
      formValues: { action: 'buy', qty: '10' },
    });
    const [action] = (await client.waitForEvent('symphonyelementsaction', undefined, {
      from: mark,
    })) as Record<string, unknown>[];
    expect(action).toMatchObject({
      streamId: room,
      streamType: 'ROOM',
      formId: 'order',
      formValues: { action: 'buy', qty: '10' },
      initiator: { userId: alice },
    });
  });

  simTest(
    're-authenticates after a 401 on the datafeed read and keeps reading the same feed',
    async ({ sim, botAccount: { userId: botId }, alice }) => {
      const mark = client.events.length;
      sim.control.invalidateSessions();
      await waitFor(
        'the client to log in again',
        () => requests(sim, 'POST /relay/pubkey/authenticate') >= 2,
        15_000,
        () => client.output(),
      );
      expect(requests(sim, 'POST /login/pubkey/authenticate')).toBe(2);
      const { messageId } = sim.control.sendMessage(room, { fromUserId: alice, text: 'still there?' });
      await waitForMessage(messageId, mark);
      expect(client.events.slice(mark).filter((e) => e.event === 'created')).toEqual([]);
      expect(liveV1Feeds(sim, botId).map((f) => f.id)).toEqual([feedId]);
      const sent = await client.call<LegacyMessage>('sendMessage', room, 'yes', null, 'messageML');
      expect(messageById(sim, room, sent.messageId).presentationML).toBe(`${PML_OPEN}yes</div>`);
    },
  );

  simTest(
    'replaces an expired datafeed (400 on read) with a new one and reads on',
    async ({ sim, botAccount: { userId: botId }, alice }) => {
      // From a datafeed loop of its own (the earlier tests' loop went through a re-authentication).
      await client.request({ op: 'stopFeed' });
      const started = client.events.length;
      await client.request({ op: 'startFeed' });
      const oldId = await client.waitForEvent('created', undefined, { from: started });
      const mark = client.events.length;
      sim.control.expireFeeds(botId);
      const newId = await client.waitForEvent('created', undefined, { from: mark });
      expect(newId).not.toBe(oldId);
      expect(newId).not.toBe(feedId);
      expect(liveV1Feeds(sim, botId).map((f) => f.id)).toEqual([newId]);
      const { messageId } = sim.control.sendMessage(room, { fromUserId: alice, text: 'back?' });
      await waitForMessage(messageId, mark);
      expect(client.events.slice(mark).filter((e) => e.event === 'error')).toEqual([]);
    },
  );

  simTest(
    "gets Symphony's {code, message} body for a 401 on message create (it re-authenticates only on the feed)",
    async ({ sim }) => {
      await client.request({ op: 'stopFeed' });
      sim.control.invalidateSessions();
      expect(await client.call('sendMessage', room, 'lost', null, 'messageML')).toEqual({
        code: 401,
        message: 'Invalid session',
      });
      expect(sim.control.listMessages(room).some((m) => m.text === 'lost')).toBe(false);
    },
  );
});

describe('symphony-api-client-node 1.1.4 with a key the pod does not know', () => {
  simTest('is refused on the pod and the key manager and never gets a session', async ({ sim }) => {
    const stranger = sim.control.generateKeyPair();
    writeFileSync(join(dir, 'stranger-key.pem'), stranger.privateKeyPem);
    writeFileSync(
      join(dir, 'stranger.json'),
      JSON.stringify({ ...config, botPrivateKeyName: 'stranger-key.pem' }),
    );
    const before = { ...sim.control.stats().requests };
    const delta = (key: string) => requests(sim, key) - (before[key] ?? 0);
    const refused = await startLegacyNodeChild(join(dir, 'stranger.json'), join(dir, 'ca.pem'));
    try {
      // The client ignores the 401 status, keeps an undefined token and fails on its next call.
      await expect(refused.request({ op: 'init' })).rejects.toThrow(/init failed/);
    } finally {
      await refused.close();
    }
    expect(delta('POST /login/pubkey/authenticate')).toBe(1);
    expect(delta('POST /relay/pubkey/authenticate')).toBe(1);
    expect(delta('GET /pod/v2/sessioninfo')).toBe(0);
  });
});
