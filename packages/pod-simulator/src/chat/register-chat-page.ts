import type { FastifyInstance } from 'fastify';

/** Serves the web chat page at `GET /` (placeholder until the chat page lands). */
export function registerChatPage(app: FastifyInstance): void {
  app.get('/', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return '<!doctype html><title>Baton pod simulator</title><p>Chat page coming.</p>';
  });
}
