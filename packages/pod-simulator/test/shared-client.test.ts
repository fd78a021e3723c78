import { AuthenticationRejectedError, createSymphonyClient, FeedGoneError } from '@baton/shared';
import { describe, expect } from 'vitest';
import { fastRetry, quietLogger } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

const fast = { ...fastRetry, maxAttempts: 5 };

/** The shared Symphony client (axios) against the simulator over HTTPS with its self-signed CA. */
simTest.override({
  simOptions: { https: 'self-signed', longPollMs: 300, redeliveryMs: 300, logger: quietLogger },
  botOptions: { username: 'client-bot', displayName: 'Client Bot' },
  aliceOptions: { displayName: 'Alice' },
});

// The bot's client trusts the simulator's CA and makes five attempts.
simTest.override('botClientOptions', ({ sim }) => ({ caCertPem: sim.caCertPem!, retry: fast }));

describe('shared Symphony client against the simulator', () => {
  simTest(
    'authenticates over HTTPS and reads sessioninfo and users',
    async ({ botClient: { botId, client }, alice }) => {
      await client.authenticate();
      const me = await client.getSessionInfo();
      expect(me.id).toBe(botId);
      expect((await client.getUser(alice))?.username).toBe('alice');
      expect(await client.getUser(424242)).toBeUndefined(); // no such user: an answer, not an error
      expect((await client.getUserByUsername('alice'))?.id).toBe(alice);
      expect(await client.getUserByUsername('nobody')).toBeUndefined();
    },
  );

  simTest(
    'datafeed v2: create, list, read with ack, redelivery, delete, gone',
    async ({ sim, botClient: { botId, client }, alice }) => {
      const feed = await client.createDatafeed();
      expect(feed.id).toMatch(/_f$/);
      expect((await client.listDatafeeds()).map((f) => f.id)).toContain(feed.id);
      const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [alice, botId] });
      sim.control.sendMessage(streamId, { fromUserId: alice, text: 'hello @client-bot' });
      const first = await client.readDatafeed(feed.id, '');
      const types = first.events.map((e) => (e as { type: string }).type);
      expect(types).toEqual(['INSTANTMESSAGECREATED', 'MESSAGESENT']);
      const sent = first.events[1] as { initiator: { user: { userId: number } } };
      expect(sent.initiator.user.userId).toBe(alice);
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
    },
  );

  simTest(
    'datafeed v1: create, read events, [] on 204, gone on unknown',
    async ({ sim, botClient: { botId, client }, alice }) => {
      const { id } = await client.createDatafeedV1();
      const { streamId } = sim.control.createStream({
        type: 'ROOM',
        name: 'v1',
        memberIds: [alice, botId],
      });
      sim.control.sendMessage(streamId, { fromUserId: alice, text: 'v1 hello' });
      const events = await client.readDatafeedV1(id);
      expect(events.map((e) => (e as { type: string }).type)).toEqual(['ROOMCREATED', 'MESSAGESENT']);
      expect(await client.readDatafeedV1(id)).toEqual([]);
      await expect(client.readDatafeedV1('unknown')).rejects.toBeInstanceOf(FeedGoneError);
    },
  );

  simTest(
    'sends MessageML (with data) and lists messages; IMs and rooms',
    async ({ sim, botClient: { client }, alice }) => {
      const im = await client.createIm([alice]);
      expect((await client.createIm([alice])).id).toBe(im.id);
      const since = Date.now() - 1;
      const sent = await client.sendMessage(im.id, {
        message: `<messageML>Hi <mention uid="${alice}"/></messageML>`,
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
      await client.addMember(room.roomSystemInfo.id, alice);
      expect(sim.control.listStreams(alice).map((s) => s.streamId)).toContain(room.roomSystemInfo.id);
    },
  );

  simTest(
    're-authenticates transparently after session invalidation; datafeeds survive it',
    async ({ sim, botClient: { botId, client }, alice }) => {
      const logins = () => sim.control.stats().requests['POST /login/pubkey/authenticate'] ?? 0;
      const feed = await client.createDatafeed();
      const before = logins();
      sim.control.invalidateSessions();
      expect((await client.getSessionInfo()).id).toBe(botId);
      expect(logins()).toBe(before + 1);
      const { streamId } = sim.control.createStream({ type: 'IM', memberIds: [alice, botId] });
      sim.control.sendMessage(streamId, { fromUserId: alice, text: 'after re-auth' });
      const read = await client.readDatafeed(feed.id, '');
      expect(read.events.map((e) => (e as { type: string }).type)).toContain('MESSAGESENT');
      await client.deleteDatafeed(feed.id);
    },
  );

  simTest('retries 503 and 429 faults', async ({ sim, botClient: { botId, client } }) => {
    sim.control.setFaults({ rules: [{ path: '/pod/v2/sessioninfo', error503: 1, times: 2 }] });
    expect((await client.getSessionInfo()).id).toBe(botId);
    sim.control.setFaults({
      rules: [{ path: '/pod/v2/sessioninfo', error429: 1, retryAfterSeconds: 0, times: 1 }],
    });
    expect((await client.getSessionInfo()).id).toBe(botId);
    sim.control.clearFaults();
    expect(sim.control.stats().requests['GET /pod/v2/sessioninfo']).toBeGreaterThanOrEqual(6);
  });

  simTest(
    'a datafeed read throttled as 400 + Retry-After is retried, not taken for a gone feed',
    async ({ sim, botClient: { client } }) => {
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
    },
  );

  simTest('a wrong key is rejected as AuthenticationRejectedError', async ({ sim, botAccount }) => {
    const other = sim.control.generateKeyPair();
    const bad = createSymphonyClient(
      {
        podUrl: sim.url,
        botUsername: botAccount.username,
        privateKeyPem: other.privateKeyPem,
        caCertPem: sim.caCertPem!,
        retry: fast,
      },
      { logger: quietLogger },
    );
    try {
      await expect(bad.getSessionInfo()).rejects.toBeInstanceOf(AuthenticationRejectedError);
    } finally {
      bad.close();
    }
  });
});
