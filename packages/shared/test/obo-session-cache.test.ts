import { testRsaKeyPair } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/index.ts';
import type { HttpRequest, HttpTransport } from '../src/symphony/http-transport.ts';
import { createOboSessionManager } from '../src/symphony/obo-session-manager.ts';

// The user-session cache of the on-behalf-of session manager, on a scripted in-memory transport (the HTTP flow
// itself is tested against the simulator: packages/pod-simulator/test/shared-client-obo.test.ts).

const { privateKeyPem } = testRsaKeyPair();
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Answers every login with a fresh token; user tokens are JWTs expiring `userExpS` seconds after `now()`. */
function loginTransport(now: () => number, userExpS?: number) {
  const paths: string[] = [];
  let n = 0;
  const transport: HttpTransport = {
    async send(req: HttpRequest) {
      paths.push(req.path);
      n++;
      if (req.path.endsWith('/app/authenticate')) return { status: 200, data: { token: `app-${n}` } };
      const token =
        userExpS === undefined
          ? `user-${n}`
          : `${b64({ alg: 'RS512' })}.${b64({ exp: Math.floor(now() / 1000) + userExpS, n })}.sig`;
      return { status: 200, data: { token } };
    },
    close() {},
  };
  return { transport, paths };
}

const config = (over: { sessionMaxAgeMs?: number; maxSessions?: number } = {}) => ({
  appId: 'announcer',
  appPrivateKeyPem: privateKeyPem,
  timeoutMs: 1000,
  sessionMaxAgeMs: over.sessionMaxAgeMs ?? 60_000,
  maxSessions: over.maxSessions ?? 100,
});
const logger = createLogger({ level: 'silent' });

describe('OBO user session cache', () => {
  it('keeps at most maxSessions users, dropping the least recently used', async () => {
    const t = 1_000_000;
    const { transport, paths } = loginTransport(() => t);
    const sessions = createOboSessionManager(config({ maxSessions: 2 }), { transport, logger, now: () => t });
    const a = await sessions.getUserToken({ userId: 1 });
    await sessions.getUserToken({ userId: 2 });
    expect(await sessions.getUserToken({ userId: 1 })).toBe(a); // 1 is now the most recent
    await sessions.getUserToken({ username: 'Carol' }); // evicts 2
    expect(sessions.size()).toBe(2);
    const before = paths.length;
    expect(await sessions.getUserToken({ userId: 1 })).toBe(a);
    expect(await sessions.getUserToken({ username: 'carol' })).not.toBe(a); // the same user, case-insensitive
    expect(paths.length).toBe(before);
    await sessions.getUserToken({ userId: 2 });
    expect(paths.slice(before)).toEqual(['/login/pubkey/app/user/2/authenticate']);
  });

  it('a JWT session token is dropped a minute before its own exp, even under the max age', async () => {
    let t = 1_000_000_000;
    const { transport, paths } = loginTransport(() => t, 120); // the pod's token lives 2 minutes
    const sessions = createOboSessionManager(config({ sessionMaxAgeMs: 3_600_000 }), {
      transport,
      logger,
      now: () => t,
    });
    const first = await sessions.getUserToken({ userId: 7 });
    t += 50_000;
    expect(await sessions.getUserToken({ userId: 7 })).toBe(first);
    t += 20_000; // 70 s: past exp - 60 s
    expect(await sessions.getUserToken({ userId: 7 })).not.toBe(first);
    expect(paths.filter((p) => p.includes('/user/7/'))).toHaveLength(2);
    expect(paths.filter((p) => p.endsWith('/app/authenticate'))).toHaveLength(1);
  });

  it('refreshUserToken with a stale token logs in once for concurrent callers; with a replaced one, not at all', async () => {
    const t = 1_000_000;
    const { transport, paths } = loginTransport(() => t);
    const sessions = createOboSessionManager(config(), { transport, logger, now: () => t });
    const stale = await sessions.getUserToken({ userId: 3 });
    const fresh = await Promise.all([1, 2, 3].map(() => sessions.refreshUserToken({ userId: 3 }, stale)));
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(stale);
    expect(await sessions.refreshUserToken({ userId: 3 }, stale)).toBe(fresh[0]);
    expect(paths.filter((p) => p.includes('/user/3/'))).toHaveLength(2);
  });
});
