import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../auth/verify-jwt.ts';
import type { SimCore } from '../sim-core.ts';
import type { SimUser } from '../types.ts';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * On-behalf-of (OBO) authentication on the pod (`/login`, LOGIN spec):
 * - `POST /login/pubkey/app/authenticate` `{token: JWT}` (RS512, `sub` = app id, signed by the app's registered
 *   key) → `{token, name: "sessionToken"}`, the **app** session; 401 for an unknown or disabled app, a bad
 *   signature, a bad JWT;
 * - `POST /login/pubkey/app/user/{userId}/authenticate` and `…/username/{username}/authenticate`, header
 *   `sessionToken: <app session>`, no body → `{token, name: "sessionToken"}`, the **user's** session token: every
 *   call made with it is the user's (a message sent is recorded as sent by the user). 401 when the app session is
 *   invalid, the user does not exist, or the user has not installed the app (BDK: "It usually happens when the
 *   user has not installed the app").
 */
export function registerOboAuthRoutes(app: FastifyInstance, core: SimCore): void {
  app.post('/login/pubkey/app/authenticate', async (req) => {
    const body = req.body;
    const jwt = body && typeof body === 'object' ? (body as { token?: unknown }).token : undefined;
    const registered = await core.appJwt.verify(jwt);
    return { token: core.apps.issueSession(registered.appId), name: 'sessionToken' };
  });

  const actAs = (req: FastifyRequest, find: () => SimUser | undefined) => {
    const registered = core.apps.resolveSession(header(req, 'sessionToken'));
    if (!registered) throw unauthorized('invalid app session');
    const user = find();
    if (!user) throw unauthorized('invalid user');
    if (!core.apps.isInstalled(registered.appId, user.userId)) {
      throw unauthorized(`app "${registered.appId}" is not installed for user ${user.userId}`);
    }
    return { token: core.sessions.issue(user.userId, 'sessionToken', user.username), name: 'sessionToken' };
  };

  app.post('/login/pubkey/app/user/:userId/authenticate', async (req) => {
    const raw = (req.params as { userId: string }).userId;
    // LOGIN declares 200/401/403/500 here: a userId that is not an integer names no user (401, not 400).
    return actAs(req, () => (/^\d+$/.test(raw) ? core.pod.getUser(Number(raw)) : undefined));
  });

  app.post('/login/pubkey/app/username/:username/authenticate', async (req) =>
    actAs(req, () => core.pod.getUserByName((req.params as { username: string }).username)),
  );
}
