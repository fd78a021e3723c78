import type { TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { userOfClientCertificate } from '../auth/verify-client-cert.ts';
import type { SimCore } from '../sim-core.ts';

/**
 * Certificate authentication, served on the mutual-TLS listener only: the pod's `/sessionauth/v1/authenticate`
 * and the key manager's `/keyauth/v1/authenticate`, bodiless, the client certificate's CN naming the bot.
 */
export function registerCertAuthRoutes(app: FastifyInstance, core: SimCore): void {
  app.post('/sessionauth/v1/authenticate', async (req) => {
    const user = userOfClientCertificate(req.raw.socket as TLSSocket, core.pod);
    return { name: 'sessionToken', token: core.sessions.issue(user.userId, 'sessionToken', user.username) };
  });
  app.post('/keyauth/v1/authenticate', async (req) => {
    const user = userOfClientCertificate(req.raw.socket as TLSSocket, core.pod);
    return {
      name: 'keyManagerToken',
      token: core.sessions.issue(user.userId, 'keyManagerToken', user.username),
    };
  });
}
