import type { FastifyInstance } from 'fastify';
import type { SimCore } from '../sim-core.ts';

function jwtOf(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as { token?: unknown }).token : undefined;
}

/** RSA authentication on the pod (`/login`) and the key manager (`/relay`). The same JWT works for both. */
export function registerAuthRoutes(app: FastifyInstance, core: SimCore): void {
  app.post('/login/pubkey/authenticate', async (req) => {
    const user = await core.jwt.verify(jwtOf(req.body));
    return { token: core.sessions.issue(user.userId, 'sessionToken', user.username), name: 'sessionToken' };
  });
  app.post('/relay/pubkey/authenticate', async (req) => {
    const user = await core.jwt.verify(jwtOf(req.body));
    return {
      token: core.sessions.issue(user.userId, 'keyManagerToken', user.username),
      name: 'keyManagerToken',
    };
  });
}
