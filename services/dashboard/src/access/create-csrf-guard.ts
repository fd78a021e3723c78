import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from './credentials.ts';
import { isLoopbackHost } from './is-loopback-host.ts';

/** The header the page's state-changing requests carry the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * A fastify `preHandler` for the dashboard's state-changing routes (DLQ replay and drop), run after the access
 * guard. It refuses (403) a request unless:
 * - it carries the page's CSRF token in `x-csrf-token` (a custom header: a cross-site form cannot send one, and a
 *   cross-site `fetch` with it needs a CORS preflight the dashboard never grants; the token is only in the page,
 *   which only an authorised viewer can read);
 * - its `Origin` (when sent, as browsers do on POST) names the dashboard's own host (the scheme is not compared: a
 *   TLS proxy in front changes it), and `Sec-Fetch-Site` (when sent) is
 *   `same-origin`;
 * - on an unprotected (loopback-only) dashboard, its `Host` is a loopback name, so a page on another site whose
 *   name was re-bound to 127.0.0.1 (DNS rebinding) cannot act either.
 * The session cookie is `SameSite=Strict` besides, and basic-auth or bearer clients are checked the same way.
 */
export function createCsrfGuard(opts: { token: string; isProtected: boolean }) {
  return async function csrfGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const host = request.headers.host ?? '';
    const sent = request.headers[CSRF_HEADER];
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    const ok =
      typeof sent === 'string' &&
      safeEqual(sent, opts.token) &&
      (origin === undefined || originHost(origin) === host) &&
      (site === undefined || site === 'same-origin') &&
      (opts.isProtected || isLoopbackHost(hostnameOf(host)));
    if (!ok)
      await reply.code(403).type('application/json').send({ error: 'csrf check failed: reload the page' });
  };
}
