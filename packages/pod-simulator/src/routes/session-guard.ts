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

/**
 * The connection of the request is gone (destroyed), even if its `close` event has not been emitted yet: an
 * agent front-end killed under a held read destroys the socket at once, the events follow a tick later.
 */
export function isClientGone(reply: FastifyReply): boolean {
  const socket = reply.raw.socket;
  return !socket || socket.destroyed;
}

/**
 * Aborts when the client goes away before the answer was sent (long polls stop waiting), at once when it went
 * away before the route asked. Check `isClientGone` too right before taking events: the abort comes a tick
 * after the socket was destroyed.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  if (isClientGone(reply)) {
    ac.abort();
    return ac.signal;
  }
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}
