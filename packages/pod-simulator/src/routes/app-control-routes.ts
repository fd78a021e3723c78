import type { FastifyInstance } from 'fastify';
import { badRequest } from '../sim-error.ts';
import type { SimulatorControl } from '../types.ts';

type Body = Record<string, unknown>;

function userIdOf(v: unknown): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest('userId must be a user id (integer)');
  return n;
}

/**
 * The `/_sim/apps` control routes (on-behalf-of): `POST /_sim/apps` `{appId, publicKey, name?, enabled?}`,
 * `GET /_sim/apps`, `POST /_sim/apps/{appId}/users` `{userId}` (install), `DELETE /_sim/apps/{appId}/users/{userId}`
 * (uninstall), `POST /_sim/apps/sessions/invalidate` `{appId?}`.
 */
export function registerAppControlRoutes(app: FastifyInstance, control: SimulatorControl): void {
  app.post('/_sim/apps', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const pem = b.publicKey ?? b.publicKeyPem;
    if (typeof b.appId !== 'string') throw badRequest('appId is required');
    if (typeof pem !== 'string') throw badRequest('publicKey is required (PEM)');
    reply.code(201);
    return control.registerApp({
      appId: b.appId,
      publicKeyPem: pem,
      ...(typeof b.name === 'string' ? { name: b.name } : {}),
      ...(typeof b.enabled === 'boolean' ? { enabled: b.enabled } : {}),
    });
  });

  app.get('/_sim/apps', async () =>
    control.listApps().map(({ publicKeyPem, ...a }) => ({ ...a, hasPublicKey: publicKeyPem !== '' })),
  );

  app.post('/_sim/apps/:appId/users', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    control.installApp((req.params as { appId: string }).appId, userIdOf(b.userId));
    return reply.code(204).send();
  });

  app.delete('/_sim/apps/:appId/users/:userId', async (req, reply) => {
    const { appId, userId } = req.params as { appId: string; userId: string };
    control.uninstallApp(appId, userIdOf(userId));
    return reply.code(204).send();
  });

  app.post('/_sim/apps/sessions/invalidate', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    control.invalidateAppSessions(typeof b.appId === 'string' ? b.appId : undefined);
    return reply.code(204).send();
  });
}
