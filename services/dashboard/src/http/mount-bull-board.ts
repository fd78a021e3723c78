import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';

/** Where bull-board is served. */
export const QUEUES_PATH = '/queues';

/** bull-board's page links a web font from a public CDN; operators' browsers must not call out, so it goes. */
const EXTERNAL_STYLESHEET = /<link\b[^>]*href="https?:\/\/[^"]*"[^>]*rel="stylesheet"[^>]*>/gi;

/** Everything bull-board needs is served from here; nothing may load from elsewhere. */
const BULL_BOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

/**
 * Mounts bull-board, read-only (no retry, clean, promote, pause or add from the browser: the DLQ is replayed
 * with the worker's `dlq` CLI, which keeps per-stream order), for Baton's queues.
 */
export async function mountBullBoard(
  app: FastifyInstance,
  queues: { queue: Queue; description: string }[],
  opts: { title: string },
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map(
      ({ queue, description }) =>
        new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false, description }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: opts.title } },
  });
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (typeof payload !== 'string' || !type.startsWith('text/html')) return payload;
      reply.header('content-security-policy', BULL_BOARD_CSP);
      return payload.replace(EXTERNAL_STYLESHEET, '');
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUES_PATH });
  });
}
