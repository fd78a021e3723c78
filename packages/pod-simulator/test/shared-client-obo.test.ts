import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppAuthenticationRejectedError,
  type ClosableOboClients,
  createLogger,
  createOboClients,
  OboUserRejectedError,
} from '@baton/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../src/index.ts';

/** The shared on-behalf-of clients (`createOboClients`) against the simulator over HTTPS. */
let sim: Simulator;
let appKey: { privateKeyPem: string; publicKeyPem: string };
let aliceId: number;
let bobId: number;
let roomId: string;
const logger = createLogger({ level: 'silent' });
const fast = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 };
const opened: ClosableOboClients[] = [];

const APP_LOGIN = 'POST /login/pubkey/app/authenticate';
const USER_LOGIN = 'POST /login/pubkey/app/user/:userId/authenticate';
const NAME_LOGIN = 'POST /login/pubkey/app/username/:username/authenticate';
const count = (key: string): number => sim.control.stats().requests[key] ?? 0;

function clients(extra: { sessionMaxAgeMs?: number; appPrivateKeyPem?: string; appId?: string } = {}) {
  const c = createOboClients(
    {
      podUrl: sim.url,
      caCertPem: sim.caCertPem!,
      appId: extra.appId ?? 'announcer',
      appPrivateKeyPem: extra.appPrivateKeyPem ?? appKey.privateKeyPem,
      retry: fast,
      ...(extra.sessionMaxAgeMs === undefined ? {} : { sessionMaxAgeMs: extra.sessionMaxAgeMs }),
    },
    { logger },
  );
  opened.push(c);
  return c;
}

beforeAll(async () => {
  sim = await createSimulator({ https: 'self-signed', longPollMs: 200, logger });
  appKey = sim.control.generateKeyPair();
  aliceId = sim.control.createUser({ username: 'alice', displayName: 'Alice' }).userId;
  bobId = sim.control.createUser({ username: 'bob', displayName: 'Bob' }).userId;
  sim.control.registerApp({ appId: 'announcer', publicKeyPem: appKey.publicKeyPem });
  sim.control.installApp('announcer', aliceId);
  roomId = sim.control.createStream({ type: 'ROOM', name: 'News', memberIds: [aliceId, bobId] }).streamId;
});
afterAll(async () => {
  for (const c of opened) c.close();
  await sim.close();
});

describe('createOboClients', () => {
  it('sends a message as the user: Symphony records it as the user’s', async () => {
    const alice = clients().forUser({ userId: aliceId });
    const sent = await alice.sendMessage(roomId, {
      message: '<messageML>Quarterly results are out</messageML>',
    });
    expect(sent.user).toMatchObject({ userId: aliceId, username: 'alice' });
    expect(sim.control.listMessages(roomId).at(-1)).toMatchObject({
      messageId: sent.messageId,
      text: 'Quarterly results are out',
      sender: { userId: aliceId, bot: false },
    });
  });

  it('lists the user’s streams, creates an IM and a room as the user', async () => {
    const alice = clients().forUser({ username: 'alice' });
    expect((await alice.getSessionInfo()).id).toBe(aliceId);
    const im = await alice.createIm([bobId]);
    const room = await alice.createRoom({ name: 'Alice’s room', description: 'made on behalf of' });
    expect(room.roomSystemInfo.createdByUserId).toBe(aliceId);
    const streams = await alice.listStreams();
    expect(streams.map((s) => s.id)).toEqual(expect.arrayContaining([roomId, im.id, room.roomSystemInfo.id]));
    const rooms = await alice.listStreams({ streamTypes: ['ROOM'] });
    expect(rooms.every((s) => s.streamType?.type === 'ROOM')).toBe(true);
    expect(rooms.map((s) => s.roomAttributes?.name)).toEqual(
      expect.arrayContaining(['News', 'Alice’s room']),
    );
    expect(await alice.listStreams({}, { skip: 1000 })).toEqual([]); // the pod's 204
  });

  it('caches the app session and the user session: one login each for many calls, concurrent ones included', async () => {
    const obo = clients();
    const [apps, users] = [count(APP_LOGIN), count(USER_LOGIN)];
    const alice = obo.forUser({ userId: aliceId });
    await Promise.all(Array.from({ length: 8 }, () => alice.getSessionInfo()));
    await obo.forUser({ userId: aliceId }).getSessionInfo();
    expect(count(APP_LOGIN) - apps).toBe(1);
    expect(count(USER_LOGIN) - users).toBe(1);
  });

  it('an expired user session is made again (single-flight), with the cached app session', async () => {
    const obo = clients({ sessionMaxAgeMs: 100 });
    const alice = obo.forUser({ userId: aliceId });
    await alice.getSessionInfo();
    const [apps, users] = [count(APP_LOGIN), count(USER_LOGIN)];
    await sleep(150);
    await Promise.all(Array.from({ length: 5 }, () => alice.getSessionInfo()));
    expect(count(USER_LOGIN) - users).toBe(1);
    expect(count(APP_LOGIN) - apps).toBe(0);
  });

  it('a 401 on a call renews the user session once and replays the call; a dead app session is renewed too', async () => {
    const obo = clients();
    const alice = obo.forUser({ username: 'alice' });
    await alice.getSessionInfo();
    const [apps, names] = [count(APP_LOGIN), count(NAME_LOGIN)];
    sim.control.invalidateSessions(aliceId); // the user's sessions only
    expect((await alice.getSessionInfo()).id).toBe(aliceId);
    expect([count(APP_LOGIN) - apps, count(NAME_LOGIN) - names]).toEqual([0, 1]);
    sim.control.invalidateSessions(); // every session: the user's and the app's
    expect((await alice.getSessionInfo()).id).toBe(aliceId);
    // The user login with the stale app session got 401: the app logged in again, then the user.
    expect([count(APP_LOGIN) - apps, count(NAME_LOGIN) - names]).toEqual([1, 3]);
  });

  it('a user who has not installed the app: OboUserRejectedError, not retried', async () => {
    const obo = clients();
    const before = count(USER_LOGIN);
    const error = await obo
      .forUser({ userId: bobId })
      .sendMessage(roomId, { message: '<messageML>hi</messageML>' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OboUserRejectedError);
    expect(error).toMatchObject({ code: 'SYMPHONY_OBO_USER_REJECTED', status: 401 });
    expect((error as Error).message).toMatch(/userId:\d+ and app "announcer".*not installed for user/);
    expect(count(USER_LOGIN) - before).toBe(1);
    expect(sim.control.listMessages(roomId).at(-1)?.text).not.toBe('hi');
  });

  it('a wrong app key or an unknown app: AppAuthenticationRejectedError', async () => {
    const wrongKey = clients({ appPrivateKeyPem: sim.control.generateKeyPair().privateKeyPem });
    await expect(wrongKey.authenticateApp()).rejects.toMatchObject({
      code: 'SYMPHONY_APP_AUTH_REJECTED',
      message: expect.stringMatching(/invalid signature/),
    });
    const unknown = clients({ appId: 'nope' });
    const error = await unknown
      .forUser({ userId: aliceId })
      .getSessionInfo()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppAuthenticationRejectedError);
    expect((error as Error).message).toMatch(/app "nope".*invalid app/);
  });
});
