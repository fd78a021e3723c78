import {
  AuthenticationRejectedError,
  type ClosableSymphonyClient,
  createLogger,
  createSymphonyClient,
  FeedGoneError,
} from '@baton/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';

/** The shared Symphony client (axios) against the simulator over HTTPS with its self-signed CA. */
let sim: Simulator;
let client: ClosableSymphonyClient;
let botId: number;
let botKey: { privateKeyPem: string; publicKeyPem: string };
let aliceId: number;
const logger = createLogger({ level: 'silent' });
const fast = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 5 };

beforeAll(async () => {
  sim = await createSimulator({ https: 'self-signed', longPollMs: 300, redeliveryMs: 300, logger });
  botKey = sim.control.generateKeyPair();
  botId = sim.control.createUser({
    username: 'client-bot',
    displayName: 'Client Bot',
    publicKeyPem: botKey.publicKeyPem,
    bot: true,
  }).userId;
  aliceId = sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId;
  client = createSymphonyClient(
    {
      podUrl: sim.url,
      botUsername: 'client-bot',
      privateKeyPem: botKey.privateKeyPem,
      caCertPem: sim.caCertPem!,
      retry: fast,
    },
    { logger },
  );
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

describe('shared Symphony client against the simulator', () => {
  it('authenticates over HTTPS and reads sessioninfo and users', async () => {
    await client.authenticate();
    const me = await client.getSessionInfo();
    expect(me.id).toBe(botId);
    expect((await client.getUser(aliceId))?.username).toBe('alice');
    expect(await client.getUser(424242)).toBeUndefined(); // no such user: an answer, not an error
    expect((await client.getUserByUsername('alice'))?.id).toBe(aliceId);
    expect(await client.getUserByUsername('nobody')).toBeUndefined();
  });

  it('datafeed v2: create, list, read with ack, redelivery, delete, gone', async () => {
    const feed = await client.createDatafeed();
    expect(feed.id).toMatch(/_f$/);
    expect((await client.listDatafeeds()).map((f) => f.id)).toContain(feed.id);
    const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [aliceId, botId] });
    sim.control.sendMessage(streamId, { fromUserId: aliceId, text: 'hello @client-bot' });
    const first = await client.readDatafeed(feed.id, '');
    const types = first.events.map((e) => (e as { type: string }).type);
    expect(types).toEqual(['INSTANTMESSAGECREATED', 'MESSAGESENT']);
    const sent = first.events[1] as { initiator: { user: { userId: number } } };
    expect(sent.initiator.user.userId).toBe(aliceId);
    // Not acknowledging `first` (re-sending ''): the events come back after the redelivery delay.
    let again = await client.readDatafeed(feed.id, '');
    for (let i = 0; i < 10 && again.events.length === 0; i++)
      again = await client.readDatafeed(feed.id, again.ackId);
    expect(again.events.map((e) => (e as { id: string }).id)).toEqual(
      first.events.map((e) => (e as { id: string }).id),
    );
    await client.readDatafeed(feed.id, again.ackId);
    await client.deleteDatafeed(feed.id);
    await expect(client.readDatafeed(feed.id, '')).rejects.toBeInstanceOf(FeedGoneError);
  });

  it('datafeed v1: create, read events, [] on 204, gone on unknown', async () => {
    const { id } = await client.createDatafeedV1();
    const { streamId } = sim.control.createStream({ type: 'ROOM', name: 'v1', memberIds: [aliceId, botId] });
    sim.control.sendMessage(streamId, { fromUserId: aliceId, text: 'v1 hello' });
    const events = await client.readDatafeedV1(id);
    expect(events.map((e) => (e as { type: string }).type)).toEqual(['ROOMCREATED', 'MESSAGESENT']);
    expect(await client.readDatafeedV1(id)).toEqual([]);
    await expect(client.readDatafeedV1('unknown')).rejects.toBeInstanceOf(FeedGoneError);
  });

  it('sends MessageML (with data) and lists messages; IMs and rooms', async () => {
    const im = await client.createIm([aliceId]);
    expect((await client.createIm([aliceId])).id).toBe(im.id);
    const since = Date.now() - 1;
    const sent = await client.sendMessage(im.id, {
      message: `<messageML>Hi <mention uid="${aliceId}"/></messageML>`,
      data: { batonSource: { v: 1 } },
    });
    expect(sent.message).toContain('data-entity-id="mention1"');
    expect(JSON.parse(sent.data!)).toMatchObject({
      batonSource: { v: 1 },
      mention1: { type: 'com.symphony.user.mention' },
    });
    const listed = await client.listMessages(im.id, { since });
    expect(listed.map((m) => m.messageId)).toEqual([sent.messageId]);

    const room = await client.createRoom({ name: 'Client room', description: 'd' });
    expect(room.roomAttributes.name).toBe('Client room');
    const info = await client.getRoomInfo(room.roomSystemInfo.id);
    expect(info.roomSystemInfo.id).toBe(room.roomSystemInfo.id);
    await client.addMember(room.roomSystemInfo.id, aliceId);
    expect(sim.control.listStreams(aliceId).map((s) => s.streamId)).toContain(room.roomSystemInfo.id);
  });

  it('re-authenticates transparently after session invalidation; datafeeds survive it', async () => {
    const logins = () => sim.control.stats().requests['POST /login/pubkey/authenticate'] ?? 0;
    const feed = await client.createDatafeed();
    const before = logins();
    sim.control.invalidateSessions();
    expect((await client.getSessionInfo()).id).toBe(botId);
    expect(logins()).toBe(before + 1);
    const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [aliceId, botId] });
    sim.control.sendMessage(streamId, { fromUserId: aliceId, text: 'after re-auth' });
    const read = await client.readDatafeed(feed.id, '');
    expect(read.events.map((e) => (e as { type: string }).type)).toContain('MESSAGESENT');
    await client.deleteDatafeed(feed.id);
  });

  it('retries 503 and 429 faults', async () => {
    sim.control.setFaults({ rules: [{ path: '/pod/v2/sessioninfo', error503: 1, times: 2 }] });
    expect((await client.getSessionInfo()).id).toBe(botId);
    sim.control.setFaults({
      rules: [{ path: '/pod/v2/sessioninfo', error429: 1, retryAfterSeconds: 0, times: 1 }],
    });
    expect((await client.getSessionInfo()).id).toBe(botId);
    sim.control.clearFaults();
    expect(sim.control.stats().requests['GET /pod/v2/sessioninfo']).toBeGreaterThanOrEqual(6);
  });

  it('a datafeed read throttled as 400 + Retry-After is retried, not taken for a gone feed', async () => {
    const feed = await client.createDatafeed();
    sim.control.setFaults({
      rules: [
        {
          path: `/agent/v5/datafeeds/${feed.id}/read`,
          error429: 1,
          retryAfterSeconds: 0,
          rateLimitStatus: 400,
          times: 2,
        },
      ],
    });
    try {
      const read = await client.readDatafeed(feed.id, '');
      expect(read.events).toEqual([]);
    } finally {
      sim.control.clearFaults();
    }
    expect(sim.control.stats().requests['POST /agent/v5/datafeeds/:id/read']).toBeGreaterThanOrEqual(3);
    await client.deleteDatafeed(feed.id);
  });

  it('a wrong key is rejected as AuthenticationRejectedError', async () => {
    const other = sim.control.generateKeyPair();
    const bad = createSymphonyClient(
      {
        podUrl: sim.url,
        botUsername: 'client-bot',
        privateKeyPem: other.privateKeyPem,
        caCertPem: sim.caCertPem!,
        retry: fast,
      },
      { logger },
    );
    try {
      await expect(bad.getSessionInfo()).rejects.toBeInstanceOf(AuthenticationRejectedError);
    } finally {
      bad.close();
    }
  });
});
