import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppAuthenticationRejectedError,
  type ClosableOboClients,
  createOboClients,
  OboUserRejectedError,
} from '@baton/shared';
import { describe, expect } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { fastRetry, quietLogger } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

const APP_LOGIN = 'POST /login/pubkey/app/authenticate';
const USER_LOGIN = 'POST /login/pubkey/app/user/:userId/authenticate';
const NAME_LOGIN = 'POST /login/pubkey/app/username/:username/authenticate';
const count = (sim: Simulator, key: string): number => sim.control.stats().requests[key] ?? 0;

/** The shared on-behalf-of clients (`createOboClients`) against the simulator over HTTPS. */
simTest.override({
  simOptions: { https: 'self-signed', longPollMs: 200, logger: quietLogger },
  aliceOptions: { displayName: 'Alice' },
  bobOptions: { displayName: 'Bob' },
});

/**
 * `simTest` plus the app `announcer` (`appKey`, its key pair), installed for alice, not for bob; `roomId`, the room
 * "News" of the two; and `clients(extra?)`, new on-behalf-of clients of the announcer (or of `extra`'s app and
 * key), closed with the file.
 */
const oboTest = simTest
  .extend('appKey', { scope: 'file' }, ({ sim, alice }) => {
    const appKey = sim.control.generateKeyPair();
    sim.control.registerApp({ appId: 'announcer', publicKeyPem: appKey.publicKeyPem });
    sim.control.installApp('announcer', alice);
    return appKey;
  })
  .extend('roomId', { scope: 'file' }, ({ sim, alice, bob }) => {
    return sim.control.createStream({ type: 'ROOM', name: 'News', memberIds: [alice, bob] }).streamId;
  })
  .extend('clients', { scope: 'file' }, ({ sim, appKey }, { onCleanup }) => {
    const opened: ClosableOboClients[] = [];
    onCleanup(() => {
      for (const c of opened) c.close();
    });
    return (extra: { sessionMaxAgeMs?: number; appPrivateKeyPem?: string; appId?: string } = {}) => {
      const c = createOboClients(
        {
          podUrl: sim.url,
          caCertPem: sim.caCertPem!,
          appId: extra.appId ?? 'announcer',
          appPrivateKeyPem: extra.appPrivateKeyPem ?? appKey.privateKeyPem,
          retry: fastRetry,
          ...(extra.sessionMaxAgeMs === undefined ? {} : { sessionMaxAgeMs: extra.sessionMaxAgeMs }),
        },
        { logger: quietLogger },
      );
      opened.push(c);
      return c;
    };
  });

describe('createOboClients', () => {
  oboTest(
    'sends a message as the user: Symphony records it as the user’s',
    async ({ sim, alice: aliceId, roomId, clients }) => {
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
    },
  );

  oboTest(
    'lists the user’s streams, creates an IM and a room as the user',
    async ({ alice: aliceId, bob: bobId, roomId, clients }) => {
      const alice = clients().forUser({ username: 'alice' });
      expect((await alice.getSessionInfo()).id).toBe(aliceId);
      const im = await alice.createIm([bobId]);
      const room = await alice.createRoom({ name: 'Alice’s room', description: 'made on behalf of' });
      expect(room.roomSystemInfo.createdByUserId).toBe(aliceId);
      const streams = await alice.listStreams();
      expect(streams.map((s) => s.id)).toEqual(
        expect.arrayContaining([roomId, im.id, room.roomSystemInfo.id]),
      );
      const rooms = await alice.listStreams({ streamTypes: ['ROOM'] });
      expect(rooms.every((s) => s.streamType?.type === 'ROOM')).toBe(true);
      expect(rooms.map((s) => s.roomAttributes?.name)).toEqual(
        expect.arrayContaining(['News', 'Alice’s room']),
      );
      expect(await alice.listStreams({}, { skip: 1000 })).toEqual([]); // the pod's 204
    },
  );

  oboTest(
    'caches the app session and the user session: one login each for many calls, concurrent ones included',
    async ({ sim, alice: aliceId, clients }) => {
      const obo = clients();
      const [apps, users] = [count(sim, APP_LOGIN), count(sim, USER_LOGIN)];
      const alice = obo.forUser({ userId: aliceId });
      await Promise.all(Array.from({ length: 8 }, () => alice.getSessionInfo()));
      await obo.forUser({ userId: aliceId }).getSessionInfo();
      expect(count(sim, APP_LOGIN) - apps).toBe(1);
      expect(count(sim, USER_LOGIN) - users).toBe(1);
    },
  );

  oboTest(
    'an expired user session is made again (single-flight), with the cached app session',
    async ({ sim, alice: aliceId, clients }) => {
      const obo = clients({ sessionMaxAgeMs: 100 });
      const alice = obo.forUser({ userId: aliceId });
      await alice.getSessionInfo();
      const [apps, users] = [count(sim, APP_LOGIN), count(sim, USER_LOGIN)];
      await sleep(150);
      await Promise.all(Array.from({ length: 5 }, () => alice.getSessionInfo()));
      expect(count(sim, USER_LOGIN) - users).toBe(1);
      expect(count(sim, APP_LOGIN) - apps).toBe(0);
    },
  );

  oboTest(
    'a 401 on a call renews the user session once and replays the call; a dead app session is renewed too',
    async ({ sim, alice: aliceId, clients }) => {
      const obo = clients();
      const alice = obo.forUser({ username: 'alice' });
      await alice.getSessionInfo();
      const [apps, names] = [count(sim, APP_LOGIN), count(sim, NAME_LOGIN)];
      sim.control.invalidateSessions(aliceId); // the user's sessions only
      expect((await alice.getSessionInfo()).id).toBe(aliceId);
      expect([count(sim, APP_LOGIN) - apps, count(sim, NAME_LOGIN) - names]).toEqual([0, 1]);
      sim.control.invalidateSessions(); // every session: the user's and the app's
      expect((await alice.getSessionInfo()).id).toBe(aliceId);
      // The user login with the stale app session got 401: the app logged in again, then the user.
      expect([count(sim, APP_LOGIN) - apps, count(sim, NAME_LOGIN) - names]).toEqual([1, 3]);
    },
  );

  oboTest(
    'a user who has not installed the app: OboUserRejectedError, not retried',
    async ({ sim, bob: bobId, roomId, clients }) => {
      const obo = clients();
      const before = count(sim, USER_LOGIN);
      const error = await obo
        .forUser({ userId: bobId })
        .sendMessage(roomId, { message: '<messageML>hi</messageML>' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OboUserRejectedError);
      expect(error).toMatchObject({ code: 'SYMPHONY_OBO_USER_REJECTED', status: 401 });
      expect((error as Error).message).toMatch(/userId:\d+ and app "announcer".*not installed for user/);
      expect(count(sim, USER_LOGIN) - before).toBe(1);
      expect(sim.control.listMessages(roomId).at(-1)?.text).not.toBe('hi');
    },
  );

  oboTest(
    'a wrong app key or an unknown app: AppAuthenticationRejectedError',
    async ({ sim, alice: aliceId, clients }) => {
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
    },
  );
});
