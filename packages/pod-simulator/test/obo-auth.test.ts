import { describe, expect } from 'vitest';
import { createSimulator } from '../src/index.ts';
import { call, sendMessageML, signJwt } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

// On-behalf-of authentication over HTTP, as the LOGIN spec describes it: app login with an RS512 JWT whose `sub` is
// the app id, then a user session made with the app session; what the user session does is the user's.

simTest.override({
  simOptions: { longPollMs: 200 },
  aliceOptions: { displayName: 'Alice' },
  bobOptions: { displayName: 'Bob' },
});

/**
 * `simTest` plus the app `announcer` (`appKey`, its key pair), installed for alice, not for bob; `roomId`, the room
 * "News" of the two; `appLogin(sub?, key?)`, the app login with a JWT for `sub` signed with `key` (the announcer
 * and its key unless said otherwise), and `appToken()`, the announcer's app session token.
 */
const oboTest = simTest
  .extend('appKey', { scope: 'file' }, ({ sim, alice }) => {
    const appKey = sim.control.generateKeyPair();
    sim.control.registerApp({ appId: 'announcer', publicKeyPem: appKey.publicKeyPem, name: 'Announcer' });
    sim.control.installApp('announcer', alice);
    return appKey;
  })
  .extend('roomId', { scope: 'file' }, ({ sim, alice, bob }) => {
    return sim.control.createStream({ type: 'ROOM', name: 'News', memberIds: [alice, bob] }).streamId;
  })
  .extend('appLogin', { scope: 'file' }, ({ sim, appKey }) => {
    return async (sub = 'announcer', key = appKey.privateKeyPem) =>
      call(sim, 'POST', '/login/pubkey/app/authenticate', {}, { token: await signJwt(key, sub) });
  })
  .extend('appToken', { scope: 'file' }, ({ appLogin }) => {
    async function appToken(): Promise<string> {
      const r = await appLogin();
      expect(r.status).toBe(200);
      return (r.body as { token: string }).token;
    }
    return appToken;
  });

describe('app authentication (/login/pubkey/app/authenticate)', () => {
  oboTest('issues an app session token for a JWT signed with the registered key', async ({ appLogin }) => {
    const r = await appLogin();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'sessionToken', token: expect.any(String) });
  });

  oboTest('refuses a JWT signed with another key (401, invalid signature)', async ({ sim, appLogin }) => {
    const r = await appLogin('announcer', sim.control.generateKeyPair().privateKeyPem);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ code: 401, message: 'Unauthorized: invalid signature' });
  });

  oboTest('refuses an unknown app and a disabled one (401)', async ({ sim, appLogin }) => {
    const unknown = await appLogin('no-such-app');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ code: 401, message: 'Unauthorized: invalid app' });
    const off = sim.control.generateKeyPair();
    sim.control.registerApp({ appId: 'sleeper', publicKeyPem: off.publicKeyPem, enabled: false });
    const disabled = await appLogin('sleeper', off.privateKeyPem);
    expect(disabled.status).toBe(401);
    expect(disabled.body).toEqual({ code: 401, message: 'Unauthorized: app is disabled' });
  });

  oboTest('an app token is not a user session: the pod refuses it', async ({ sim, appToken }) => {
    const r = await call(sim, 'GET', '/pod/v2/sessioninfo', { sessionToken: await appToken() });
    expect(r.status).toBe(401);
  });
});

describe('user authentication on behalf of (/login/pubkey/app/user|username/…/authenticate)', () => {
  oboTest('by user id and by username: a session of the user', async ({ sim, alice, appToken }) => {
    const app = await appToken();
    for (const path of [
      `/login/pubkey/app/user/${alice}/authenticate`,
      '/login/pubkey/app/username/alice/authenticate',
    ]) {
      const r = await call(sim, 'POST', path, { sessionToken: app });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ name: 'sessionToken', token: expect.any(String) });
      const me = await call(sim, 'GET', '/pod/v2/sessioninfo', {
        sessionToken: (r.body as { token: string }).token,
      });
      expect(me.body).toMatchObject({ id: alice, username: 'alice' });
    }
  });

  oboTest(
    'a user who has not installed the app: 401 naming the app (the documented error)',
    async ({ sim, bob, appToken }) => {
      const r = await call(sim, 'POST', `/login/pubkey/app/user/${bob}/authenticate`, {
        sessionToken: await appToken(),
      });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        code: 401,
        message: `Unauthorized: app "announcer" is not installed for user ${bob}`,
      });
    },
  );

  oboTest(
    'an unknown user, a missing or invalid app session: 401; a non-numeric user id: 400',
    async ({ sim, alice, appToken }) => {
      const app = await appToken();
      const unknown = await call(sim, 'POST', '/login/pubkey/app/username/nobody/authenticate', {
        sessionToken: app,
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ code: 401, message: 'Unauthorized: invalid user' });
      const noSession = await call(sim, 'POST', `/login/pubkey/app/user/${alice}/authenticate`, {});
      expect(noSession.status).toBe(401);
      sim.control.invalidateAppSessions('announcer');
      const stale = await call(sim, 'POST', `/login/pubkey/app/user/${alice}/authenticate`, {
        sessionToken: app,
      });
      expect(stale.status).toBe(401);
      expect(stale.body).toEqual({ code: 401, message: 'Unauthorized: invalid app session' });
      const bad = await call(sim, 'POST', '/login/pubkey/app/user/abc/authenticate', {
        sessionToken: await appToken(),
      });
      expect(bad.status).toBe(401); // LOGIN declares no 400 here: a non-integer id names no user
      expect(bad.body).toEqual({ code: 401, message: 'Unauthorized: invalid user' });
    },
  );

  oboTest('uninstalling the app refuses the next login for that user', async ({ sim, appToken }) => {
    const carolId = sim.control.createUser({ username: 'carol' }).userId;
    sim.control.installApp('announcer', carolId);
    const path = `/login/pubkey/app/user/${carolId}/authenticate`;
    expect((await call(sim, 'POST', path, { sessionToken: await appToken() })).status).toBe(200);
    sim.control.uninstallApp('announcer', carolId);
    expect((await call(sim, 'POST', path, { sessionToken: await appToken() })).status).toBe(401);
  });

  oboTest(
    'a message sent with the user session (no key manager token) is recorded as sent by the user',
    async ({ sim, alice, roomId, appToken }) => {
      const r = await call(sim, 'POST', `/login/pubkey/app/user/${alice}/authenticate`, {
        sessionToken: await appToken(),
      });
      const sessionToken = (r.body as { token: string }).token;
      const sent = await sendMessageML(
        sim,
        { sessionToken },
        roomId,
        '<messageML>Hello from Alice</messageML>',
      );
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ user: { userId: alice, username: 'alice' } });
      const stored = sim.control.listMessages(roomId).at(-1);
      expect(stored).toMatchObject({ text: 'Hello from Alice', sender: { userId: alice, bot: false } });
    },
  );
});

describe('POST /pod/v1/streams/list', () => {
  oboTest(
    "lists the caller's streams oldest first, filtered by type, paged",
    async ({ sim, alice, bob, roomId, appToken }) => {
      const app = await appToken();
      const r = await call(sim, 'POST', `/login/pubkey/app/user/${alice}/authenticate`, {
        sessionToken: app,
      });
      const headers = { sessionToken: (r.body as { token: string }).token };
      const imId = sim.control.createStream({ type: 'IM', memberIds: [alice, bob] }).streamId;
      const all = await call(sim, 'POST', '/pod/v1/streams/list', headers, {});
      expect(all.status).toBe(200);
      expect((all.body as { id: string }[]).map((s) => s.id)).toEqual([roomId, imId]);
      expect(all.body).toEqual([
        {
          id: roomId,
          crossPod: false,
          active: true,
          streamType: { type: 'ROOM' },
          roomAttributes: { name: 'News' },
        },
        {
          id: imId,
          crossPod: false,
          active: true,
          streamType: { type: 'IM' },
          streamAttributes: { members: [alice, bob] },
        },
      ]);
      const rooms = await call(sim, 'POST', '/pod/v1/streams/list', headers, {
        streamTypes: [{ type: 'ROOM' }],
      });
      expect((rooms.body as { id: string }[]).map((s) => s.id)).toEqual([roomId]);
      const second = await call(sim, 'POST', '/pod/v1/streams/list?skip=1&limit=1', headers, {});
      expect((second.body as { id: string }[]).map((s) => s.id)).toEqual([imId]);
      const none = await call(sim, 'POST', '/pod/v1/streams/list?skip=5', headers, {});
      expect(none.status).toBe(204);
    },
  );
});

describe('the control API and the seed', () => {
  oboTest(
    '/_sim/apps registers an app, installs it for a user, lists it without its key',
    async ({ sim, bob }) => {
      const kp = sim.control.generateKeyPair();
      const made = await call(
        sim,
        'POST',
        '/_sim/apps',
        {},
        { appId: 'http-app', publicKey: kp.publicKeyPem },
      );
      expect(made).toMatchObject({ status: 201, body: { appId: 'http-app' } });
      expect((await call(sim, 'POST', '/_sim/apps/http-app/users', {}, { userId: bob })).status).toBe(204);
      const listed = await call(sim, 'GET', '/_sim/apps', {});
      expect(listed.body).toContainEqual({
        appId: 'http-app',
        name: 'http-app',
        enabled: true,
        userIds: [bob],
        hasPublicKey: true,
      });
      expect((await call(sim, 'DELETE', `/_sim/apps/http-app/users/${bob}`, {})).status).toBe(204);
      expect(sim.control.listApps().find((a) => a.appId === 'http-app')?.userIds).toEqual([]);
      const bad = await call(sim, 'POST', '/_sim/apps', {}, { appId: 'x', publicKey: 'not a key' });
      expect(bad.status).toBe(400);
    },
  );

  oboTest('a seed registers apps and installs them for the users it names', async ({ sim }) => {
    const kp = sim.control.generateKeyPair();
    const seeded = await createSimulator({
      seed: {
        users: [{ username: 'dora' }, { username: 'eve' }],
        apps: [{ appId: 'seeded', publicKey: kp.publicKeyPem, users: ['dora'] }],
      },
    });
    try {
      const [app] = seeded.control.listApps();
      const dora = seeded.control.listUsers().find((u) => u.username === 'dora');
      expect(app).toMatchObject({ appId: 'seeded', userIds: [dora?.userId] });
    } finally {
      await seeded.close();
    }
  });
});
