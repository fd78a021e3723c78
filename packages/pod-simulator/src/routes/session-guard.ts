import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimCore } from '../sim-core.ts';
import { invalidSession } from '../sim-error.ts';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `/pod/*`: a valid `sessionToken` header is required. Returns the caller's user id. */
export function requirePodSession(core: SimCore, req: FastifyRequest): number {
  const uid = core.sessions.resolve(header(req, 'sessionToken'), 'sessionToken');
  if (uid === undefined) throw invalidSession();
  return uid;
}

/** `/agent/*`: `sessionToken` required; `keyManagerToken`, optional in today's agent, must be valid when sent. */
export function requireAgentSession(core: SimCore, req: FastifyRequest): number {
  const uid = requirePodSession(core, req);
  const km = header(req, 'keyManagerToken');
  if (km !== undefined && km !== '' && core.sessions.resolve(km, 'keyManagerToken') === undefined) {
    throw invalidSession();
  }
  return uid;
}

/** Aborts when the client goes away before the answer was sent (long polls stop waiting). */
export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}
