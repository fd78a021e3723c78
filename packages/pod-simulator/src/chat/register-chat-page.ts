import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/**
 * The web chat's files (plain HTML/CSS/JS in `./static`, no build step). Each is served from a fixed
 * route, never from a path taken from the request.
 */
const ASSETS = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/chat/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  {
    route: '/chat/render-presentationml.js',
    file: 'render-presentationml.js',
    type: 'text/javascript; charset=utf-8',
  },
  { route: '/chat/form-values.js', file: 'form-values.js', type: 'text/javascript; charset=utf-8' },
  { route: '/chat/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
  { route: '/chat/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
] as const;

/**
 * Defence in depth behind the page's own sanitiser: only the simulator's scripts and styles run, no
 * inline script or event-handler attribute can, nothing is fetched from another origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the web chat page at `GET /` and its assets under `/chat/…`. The page talks to the simulator's
 * control API (`/_sim/users`, `/_sim/streams…`, `/_sim/live`), so it needs nothing else.
 */
export function registerChatPage(app: FastifyInstance): void {
  for (const asset of ASSETS) {
    const body = readFileSync(new URL(`./static/${asset.file}`, import.meta.url));
    app.get(asset.route, async (_req, reply) => {
      reply
        .type(asset.type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer');
      if (asset.route === '/') reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      return body;
    });
  }
}
