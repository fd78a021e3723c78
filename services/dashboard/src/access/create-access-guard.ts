import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Credentials, isProtected, safeEqual, sessionCookieValue } from './credentials.ts';

/** Cookie set after a successful `?token=` so the browser (bull-board's own API calls included) stays signed in. */
export const SESSION_COOKIE = 'baton_dashboard';

/** Paths that stay open whatever the configuration: the liveness probe, and the (empty) favicon browsers ask for. */
const OPEN_PATHS = new Set(['/healthz', '/favicon.ico']);

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function basicMatches(header: string, basic: NonNullable<Credentials['basicAuth']>): boolean {
  const decoded = Buffer.from(header.slice('basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Evaluate both comparisons so a wrong user and a wrong password take the same time.
  const userOk = safeEqual(decoded.slice(0, colon), basic.user);
  const passOk = safeEqual(decoded.slice(colon + 1), basic.password);
  return userOk && passOk;
}

function urlWithoutToken(rawUrl: string): string {
  const u = new URL(rawUrl, 'http://dashboard.invalid');
  u.searchParams.delete('token');
  const qs = u.searchParams.toString();
  return u.pathname + (qs ? `?${qs}` : '');
}

/**
 * A fastify `onRequest` hook enforcing the configured access: a bearer token (header, session cookie, or
 * `?token=` which sets the cookie and redirects to the same URL without the token), or HTTP basic auth.
 * With neither configured every request passes. `/healthz` always passes.
 */
export function createAccessGuard(credentials: Credentials) {
  const cookie = credentials.token === undefined ? undefined : sessionCookieValue(credentials.token);
  return async function accessGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!isProtected(credentials)) return;
    const path = request.url.split('?', 1)[0] ?? '/';
    if (OPEN_PATHS.has(path)) return;

    const auth = request.headers.authorization ?? '';
    const lower = auth.toLowerCase();
    if (credentials.token !== undefined && cookie !== undefined) {
      if (lower.startsWith('bearer ') && safeEqual(auth.slice('bearer '.length).trim(), credentials.token))
        return;
      const fromCookie = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (fromCookie !== undefined && safeEqual(fromCookie, cookie)) return;
      const query = request.query as Record<string, unknown> | undefined;
      const fromQuery = query?.['token'];
      if (typeof fromQuery === 'string' && safeEqual(fromQuery, credentials.token)) {
        const secure = request.protocol === 'https' ? '; Secure' : '';
        reply.header('set-cookie', `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict${secure}`);
        if (request.method === 'GET' || request.method === 'HEAD') {
          // Take the token out of the address bar and history; the cookie carries the session from here.
          await reply.redirect(urlWithoutToken(request.url), 303);
        }
        return;
      }
    }
    if (credentials.basicAuth !== undefined && lower.startsWith('basic ')) {
      if (basicMatches(auth, credentials.basicAuth)) return;
    }
    reply.header(
      'www-authenticate',
      credentials.basicAuth !== undefined
        ? 'Basic realm="Baton dashboard", charset="UTF-8"'
        : 'Bearer realm="Baton dashboard"',
    );
    await reply.code(401).type('application/json').send({ error: 'unauthorized' });
  };
}
