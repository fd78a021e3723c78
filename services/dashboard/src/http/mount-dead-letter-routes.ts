import { type DeadLetters, NotReplayableError, UnknownDeadLetterError } from '@baton/shared';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { type DeadLetterList, toDeadLetterView } from '../dlq/dead-letter-view.ts';
import type { DashboardMetrics } from '../metrics/dashboard-metrics.ts';

/** Most entries one `/api/dlq` page returns. */
export const DLQ_PAGE_MAX = 200;

const intParam = (v: unknown, fallback: number, max: number): number => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : fallback;
  return Math.min(n, max);
};

/** Reads the first page of dead letters (oldest first) with their total. */
export async function readDeadLetterList(
  dlq: Pick<DeadLetters, 'list' | 'count'>,
  offset = 0,
  limit = 50,
): Promise<DeadLetterList> {
  const [entries, total] = await Promise.all([dlq.list({ offset, limit }), dlq.count()]);
  return { total, offset, limit, entries: entries.map(toDeadLetterView) };
}

/**
 * The DLQ browser's API, behind the dashboard's access guard: `GET /api/dlq` (a page, `?offset=&limit=`),
 * `GET /api/dlq/:id` (one entry whole: raw event, error stack), and the state-changing `POST
 * /api/dlq/:id/replay` and `POST /api/dlq/:id/drop`, which also pass `csrfGuard`. Replay is the shared
 * `DeadLetters.replay`: the event goes back at the tail of its stream's mailbox and a drain is scheduled.
 */
export function mountDeadLetterRoutes(
  app: FastifyInstance,
  deps: {
    deadLetters: DeadLetters;
    csrfGuard: preHandlerAsyncHookHandler;
    metrics: DashboardMetrics;
    logger: Logger;
  },
): void {
  const { deadLetters, metrics, logger } = deps;
  app.get('/api/dlq', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    reply.header('cache-control', 'no-store');
    return readDeadLetterList(
      deadLetters,
      intParam(q['offset'], 0, Number.MAX_SAFE_INTEGER),
      Math.max(1, intParam(q['limit'], 50, DLQ_PAGE_MAX)),
    );
  });
  app.get<{ Params: { id: string } }>('/api/dlq/:id', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const entry = await deadLetters.show(request.params.id);
    if (!entry) return reply.code(404).send({ error: `no dead letter with id ${request.params.id}` });
    return { entry: toDeadLetterView(entry), data: entry.invalid ? entry.raw : entry.data };
  });
  app.post<{ Params: { id: string } }>(
    '/api/dlq/:id/replay',
    { preHandler: deps.csrfGuard },
    async (request, reply) => {
      const { id } = request.params;
      try {
        const replayed = await deadLetters.replay(id);
        metrics.dlqActions.inc({ action: 'replay', outcome: 'ok' });
        logger.info({ id, streamId: replayed.streamId }, 'dead letter replayed from the dashboard');
        return { replayed };
      } catch (err) {
        if (err instanceof UnknownDeadLetterError) {
          metrics.dlqActions.inc({ action: 'replay', outcome: 'unknown' });
          return reply.code(404).send({ error: err.message });
        }
        if (err instanceof NotReplayableError) {
          metrics.dlqActions.inc({ action: 'replay', outcome: 'not_replayable' });
          return reply.code(409).send({ error: err.message });
        }
        metrics.dlqActions.inc({ action: 'replay', outcome: 'error' });
        throw err;
      }
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/dlq/:id/drop',
    { preHandler: deps.csrfGuard },
    async (request, reply) => {
      const { id } = request.params;
      let dropped: boolean;
      try {
        // Looked up first: BullMQ's remove reports success for an id it does not hold.
        dropped = (await deadLetters.show(id)) !== undefined && (await deadLetters.drop(id));
      } catch (err) {
        metrics.dlqActions.inc({ action: 'drop', outcome: 'error' });
        throw err;
      }
      metrics.dlqActions.inc({ action: 'drop', outcome: dropped ? 'ok' : 'unknown' });
      if (!dropped) return reply.code(404).send({ error: `no dead letter with id ${id}` });
      logger.info({ id }, 'dead letter dropped from the dashboard');
      return { dropped: true };
    },
  );
}
