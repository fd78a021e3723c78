import type { FastifyInstance } from 'fastify';
import type { SimCore } from '../sim-core.ts';
import { badRequest } from '../sim-error.ts';
import type { FaultSpec, SimulatorControl } from '../types.ts';
import { readControlMessage } from './attachment-routes.ts';

type Body = Record<string, unknown>;

function userIdOf(v: unknown, field: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest(`${field} must be a user id (integer)`);
  return n;
}

/** The `/_sim` control API: what a test or a developer drives. */
export function registerControlRoutes(app: FastifyInstance, core: SimCore, control: SimulatorControl): void {
  // GET /_sim lists the control API (the `baton dev` banner links here): every /_sim route registered after this.
  const index: { method: string; path: string }[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/_sim/')) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') index.push({ method, path: route.url });
    }
  });
  app.get('/_sim', async () => ({
    service: 'pod simulator control API',
    routes: [...index].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  }));
  app.post('/_sim/users', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    if (typeof b.username !== 'string') throw badRequest('username is required');
    const pem = b.publicKey ?? b.publicKeyPem;
    reply.code(201);
    return control.createUser({
      username: b.username,
      ...(typeof b.displayName === 'string' ? { displayName: b.displayName } : {}),
      ...(typeof pem === 'string' ? { publicKeyPem: pem } : {}),
      ...(typeof b.bot === 'boolean' ? { bot: b.bot } : {}),
    });
  });

  app.get('/_sim/users', async () =>
    control.listUsers().map(({ publicKeyPem, ...u }) => ({ ...u, hasPublicKey: publicKeyPem !== undefined })),
  );

  app.post('/_sim/streams', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    if (b.type !== 'IM' && b.type !== 'ROOM') throw badRequest('type must be "IM" or "ROOM"');
    if (!Array.isArray(b.memberIds)) throw badRequest('memberIds must be an array of user ids');
    const memberIds = b.memberIds.map((m) => userIdOf(m, 'memberIds'));
    reply.code(201);
    return control.createStream({
      type: b.type,
      memberIds,
      ...(typeof b.name === 'string' ? { name: b.name } : {}),
    });
  });

  app.post('/_sim/rooms', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    if (typeof b.name !== 'string') throw badRequest('name is required');
    const memberIds = b.memberIds ?? [];
    if (!Array.isArray(memberIds)) throw badRequest('memberIds must be an array of user ids');
    if (b.description !== undefined && typeof b.description !== 'string')
      throw badRequest('description must be a string');
    reply.code(201);
    return control.createRoomAs({
      fromUserId: userIdOf(b.fromUserId, 'fromUserId'),
      name: b.name,
      memberIds: memberIds.map((m) => userIdOf(m, 'memberIds')),
      ...(typeof b.description === 'string' ? { description: b.description } : {}),
    });
  });

  app.get('/_sim/streams', async (req) => {
    const q = req.query as { memberId?: string };
    return control.listStreams(q.memberId !== undefined ? userIdOf(q.memberId, 'memberId') : undefined);
  });

  app.post('/_sim/streams/:streamId/messages', async (req, reply) => {
    const b = await readControlMessage(req);
    const { streamId } = req.params as { streamId: string };
    if (typeof b.text !== 'string') throw badRequest('text is required');
    reply.code(201);
    return control.sendMessage(streamId, {
      fromUserId: userIdOf(b.fromUserId, 'fromUserId'),
      text: b.text,
      ...(b.attachments.length > 0 ? { attachments: b.attachments } : {}),
    });
  });

  app.get('/_sim/streams/:streamId/messages', async (req) =>
    control.listMessages((req.params as { streamId: string }).streamId),
  );

  app.post('/_sim/streams/:streamId/forms', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const { streamId } = req.params as { streamId: string };
    if (typeof b.formMessageId !== 'string' || typeof b.formId !== 'string') {
      throw badRequest('formMessageId and formId are required');
    }
    const formValues = b.formValues ?? {};
    if (typeof formValues !== 'object' || formValues === null || Array.isArray(formValues)) {
      throw badRequest('formValues must be an object');
    }
    control.submitForm(streamId, {
      fromUserId: userIdOf(b.fromUserId, 'fromUserId'),
      formMessageId: b.formMessageId,
      formId: b.formId,
      formValues: formValues as Record<string, unknown>,
    });
    return reply.code(204).send();
  });

  app.post('/_sim/events', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    if (!('event' in b)) throw badRequest('event is required (any JSON)');
    control.injectEvent(userIdOf(b.userId, 'userId'), b.event);
    return reply.code(204).send();
  });

  app.put('/_sim/faults', async (req) => {
    control.setFaults((req.body ?? {}) as FaultSpec);
    return { ok: true };
  });
  app.delete('/_sim/faults', async (_req, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });

  app.post('/_sim/sessions/invalidate', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    control.invalidateSessions(b.userId !== undefined ? userIdOf(b.userId, 'userId') : undefined);
    return reply.code(204).send();
  });

  app.post('/_sim/feeds/expire', async (req) => {
    const b = (req.body ?? {}) as Body;
    const expired = core.feeds.expireAll(
      b.userId !== undefined ? userIdOf(b.userId, 'userId') : undefined,
      typeof b.feedId === 'string' ? b.feedId : undefined,
    );
    return { expired };
  });

  app.get('/_sim/stats', async () => control.stats());

  app.get('/_sim/health', async () => ({ status: 'UP' }));

  app.post('/_sim/keypair', async () => control.generateKeyPair());
}
