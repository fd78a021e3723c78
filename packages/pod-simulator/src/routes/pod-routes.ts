import { toUrlSafeId } from '@baton/shared/ids';
import type { FastifyInstance } from 'fastify';
import { roomDetail, userV2 } from '../pod/wire-shapes.ts';
import type { SimCore } from '../sim-core.ts';
import { badRequest, forbidden } from '../sim-error.ts';
import type { SimStream, SimUser } from '../types.ts';
import { requirePodSession } from './session-guard.ts';

function list(q: unknown): string[] {
  if (q === undefined) return [];
  const parts = (Array.isArray(q) ? q : [q]).flatMap((v) => String(v).split(','));
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** Pod endpoints: session info, user lookup, IMs and rooms. */
export function registerPodRoutes(app: FastifyInstance, core: SimCore): void {
  const { pod } = core;

  app.get('/pod/v2/sessioninfo', async (req) => userV2(pod.requireUser(requirePodSession(core, req))));
  app.get('/agent/v1/info', async (req) => {
    requirePodSession(core, req);
    return {
      ipAddress: '127.0.0.1',
      hostname: 'localhost',
      serverFqdn: 'localhost',
      url: `${req.protocol}://${req.host}/agent`,
      onPrem: true,
      version: '25.8.1',
      commitId: 'baton-sim',
    };
  });

  app.get('/agent/v3/health', async () => ({ status: 'UP', version: '25.8.1' }));

  app.get('/pod/v2/streams/:sid/info', async (req) => {
    const caller = requirePodSession(core, req);
    const s = pod.getStream(toUrlSafeId((req.params as { sid: string }).sid));
    if (!s) throw badRequest('Invalid stream id');
    core.requireMember(s, caller);
    return {
      id: s.streamId,
      crossPod: false,
      origin: 'INTERNAL',
      active: s.active,
      lastMessageDate: pod.listMessages(s.streamId).at(-1)?.timestamp ?? s.createdAt,
      streamType: { type: s.type },
      ...(s.type === 'IM' ? { streamAttributes: { members: [...s.memberIds] } } : {}),
      ...(s.type === 'ROOM' ? { roomAttributes: { name: s.name ?? '' } } : {}),
    };
  });

  app.get('/pod/v2/room/:id/membership/list', async (req) => {
    const caller = requirePodSession(core, req);
    const s = pod.getStream(toUrlSafeId((req.params as { id: string }).id));
    if (s?.type !== 'ROOM') throw badRequest('Invalid room id');
    core.requireMember(s, caller);
    return s.memberIds.map((id) => ({ id, owner: id === s.createdByUserId, joinDate: s.createdAt }));
  });

  app.get('/pod/v1/sessioninfo', async (req) => ({ userId: requirePodSession(core, req) }));

  app.get('/pod/v3/users', async (req) => {
    requirePodSession(core, req);
    const q = req.query as Record<string, unknown>;
    const found: SimUser[] = [];
    for (const uid of list(q.uid)) {
      const u = pod.getUser(Number(uid));
      if (u) found.push(u);
    }
    for (const name of list(q.username)) {
      const u = pod.getUserByName(name);
      if (u) found.push(u);
    }
    for (const email of list(q.email)) {
      const u = pod.getUserByEmail(email);
      if (u) found.push(u);
    }
    if (!q.uid && !q.username && !q.email) throw badRequest('One of uid, email or username is required');
    return { users: found.map(userV2) };
  });

  // POD `/v2/user` (GET, "Get user information"): one user by `uid`, `email` or `username` → 200 UserV2;
  // **204 without a body** when no user matches ("No user found."), 400 for a query it cannot run. The spec notes
  // that "for username search, the local flag must be true"; a simulated pod has no other pods, so a username
  // search without it is answered as a local one (what clients that never send the flag, like the legacy Node
  // client, rely on) rather than refused: docs/pod-simulator.md "Held to the spec".
  app.get('/pod/v2/user', async (req, reply) => {
    requirePodSession(core, req);
    const q = req.query as Record<string, string | undefined>;
    let u: SimUser | undefined;
    if (q.uid !== undefined) {
      if (!/^\d+$/.test(q.uid)) throw badRequest(`uid must be a decimal integer (got "${q.uid}")`);
      u = pod.getUser(Number(q.uid));
    } else if (q.email !== undefined) {
      u = pod.getUserByEmail(q.email);
    } else if (q.username !== undefined) {
      u = pod.getUserByName(q.username);
    } else {
      throw badRequest('One of uid, email or username is required');
    }
    if (!u) return reply.code(204).send();
    return userV2(u);
  });

  // POD `/v1/streams/list`: the caller's streams, oldest first, filtered by `StreamFilter`, paged by skip/limit.
  app.post('/pod/v1/streams/list', async (req, reply) => {
    const caller = requirePodSession(core, req);
    const q = req.query as { skip?: string; limit?: string };
    const skip = q.skip === undefined ? 0 : Number(q.skip);
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(skip) || skip < 0) throw badRequest('skip must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a positive integer');
    const filter = (req.body ?? {}) as { streamTypes?: unknown; includeInactiveStreams?: unknown };
    if (filter.streamTypes !== undefined && !Array.isArray(filter.streamTypes)) {
      throw badRequest('streamTypes must be an array of {"type": …}');
    }
    const types = (filter.streamTypes as { type?: unknown }[] | undefined)?.map((t) => t?.type);
    const typeOf = (s: SimStream) => (s.type === 'IM' && s.memberIds.length > 2 ? 'MIM' : s.type);
    const streams = pod
      .listStreams(caller)
      .filter((s) => filter.includeInactiveStreams === true || s.active)
      .filter((s) => !types || types.includes(typeOf(s)))
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(skip, skip + limit);
    if (streams.length === 0) return reply.code(204).send();
    return streams.map((s) => ({
      id: s.streamId,
      crossPod: false,
      active: s.active,
      streamType: { type: typeOf(s) },
      ...(s.type === 'ROOM'
        ? { roomAttributes: { name: s.name ?? '' } }
        : { streamAttributes: { members: [...s.memberIds] } }),
    }));
  });

  app.post('/pod/v1/im/create', async (req) => {
    const caller = requirePodSession(core, req);
    const body = req.body;
    if (!Array.isArray(body) || body.length === 0 || !body.every((x) => Number.isInteger(x))) {
      throw badRequest('The body must be a non-empty array of user ids');
    }
    for (const id of body as number[]) if (!pod.getUser(id)) throw badRequest(`User ${id} not found`);
    return { id: core.createIm(caller, body as number[]).streamId };
  });

  app.post('/pod/v3/room/create', async (req) => {
    const caller = requirePodSession(core, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || !body.name.trim()) throw badRequest('Room name is required');
    const { name, ...attrs } = body;
    return roomDetail(core.createRoom(caller, name, [], attrs));
  });

  app.get('/pod/v3/room/:id/info', async (req) => {
    const caller = requirePodSession(core, req);
    const s = pod.getStream(toUrlSafeId((req.params as { id: string }).id));
    if (s?.type !== 'ROOM') throw badRequest('Invalid room id');
    if (!s.memberIds.includes(caller) && s.roomAttributes?.public !== true) {
      throw forbidden('The user lacks the required entitlement to perform this operation');
    }
    return roomDetail(s);
  });

  for (const change of ['add', 'remove'] as const) {
    app.post(`/pod/v1/room/:id/membership/${change}`, async (req) => {
      const caller = requirePodSession(core, req);
      const id = toUrlSafeId((req.params as { id: string }).id);
      const body = (req.body ?? {}) as { id?: unknown };
      if (!Number.isInteger(body.id)) throw badRequest('The body must be {"id": <userId>}');
      const s = pod.getStream(id);
      if (s?.type !== 'ROOM') throw badRequest('Invalid room id');
      core.requireMember(s, caller);
      if (!pod.getUser(body.id as number)) throw badRequest(`User ${String(body.id)} not found`);
      core.changeMembership(change, caller, id, body.id as number);
      return { format: 'TEXT', message: change === 'add' ? 'Member added' : 'Member removed' };
    });
  }
}
