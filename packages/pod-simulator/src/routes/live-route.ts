import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { SimCore } from '../sim-core.ts';
import { badRequest } from '../sim-error.ts';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /_sim/live?userId=` — Server-Sent Events: `{streamId, message}` for every new message and
 * `{streamId, formSubmission}` for every form submission in the streams the user belongs to.
 * Returns a function that ends every open stream (called on close).
 */
export function registerLiveRoute(app: FastifyInstance, core: SimCore): () => void {
  const open = new Set<ServerResponse>();
  app.get('/_sim/live', (req, reply) => {
    const userId = Number((req.query as { userId?: string }).userId);
    if (!Number.isInteger(userId) || !core.pod.getUser(userId)) throw badRequest('userId must name a user');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    const isMember = (streamId: string): boolean =>
      core.pod.getStream(streamId)?.memberIds.includes(userId) ?? false;
    const send = (payload: unknown): void => {
      res.write(`data: ${JSON.stringify(payload)}\n\n`);
    };
    const offMsg = core.onMessage((streamId, message) => {
      if (isMember(streamId)) send({ streamId, message });
    });
    const offForm = core.onFormSubmission((formSubmission) => {
      if (isMember(formSubmission.streamId)) send({ streamId: formSubmission.streamId, formSubmission });
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      offMsg();
      offForm();
      open.delete(res);
    });
  });
  return () => {
    for (const res of open) res.end();
    open.clear();
  };
}
