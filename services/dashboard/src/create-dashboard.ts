import { randomBytes } from 'node:crypto';
import {
  bullmqPrefix,
  childLogger,
  createDeadLetters,
  createMailbox,
  createRedis,
  createRegistry,
  type DeadLetters,
  queueNames,
  redisConnectionConfigFrom,
  withTimeout,
} from '@baton/shared';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createAccessGuard } from './access/create-access-guard.ts';
import { createCsrfGuard } from './access/create-csrf-guard.ts';
import { type Credentials, isProtected } from './access/credentials.ts';
import { isLoopbackHost } from './access/is-loopback-host.ts';
import { basicAuthOf, type DashboardConfig } from './config.ts';
import { InsecureBindError } from './errors.ts';
import { mountBullBoard } from './http/mount-bull-board.ts';
import { mountDeadLetterRoutes, readDeadLetterList } from './http/mount-dead-letter-routes.ts';
import { renderStatusPage } from './http/render-status-page.ts';
import { createDashboardMetrics } from './metrics/dashboard-metrics.ts';
import { createStatusReader, type StatusReaderOptions } from './status/create-status-reader.ts';
import type { DashboardStatus } from './status/dashboard-status.ts';
import { createIngesterStateReader } from './status/read-ingester-state.ts';
import { ReadTimeoutError } from './status/read-timeout-error.ts';
import { createStatusHistory } from './status/status-history.ts';

export interface DashboardDeps {
  /** Redis to read; when absent one is created from the REDIS_* variables (and closed on stop). */
  redis?: Redis | Cluster;
  logger: Logger;
  clock?: () => number;
  /** Tuning of the status reads (tests shorten the worker rescan). */
  status?: StatusReaderOptions;
  /** Page refresh period (default 2000 ms). */
  refreshMs?: number;
  /** How often the charts' history is sampled (default 5000 ms) and how much of it is kept (default 15 min). */
  history?: { sampleMs?: number; windowMs?: number };
  /** Prometheus registry served at `/metrics` (default: `createRegistry('dashboard')`, process metrics included). */
  registry?: Registry;
}

export interface Dashboard {
  /** Listens on the configured host/port; resolves with the base URL (e.g. `http://127.0.0.1:3100`). */
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
}

/** A status read shared by concurrent requests and reused for `maxAgeMs`, so many open pages cost one read. */
function coalesce(read: () => Promise<DashboardStatus>, maxAgeMs: number, clock: () => number) {
  let last: { at: number; value: Promise<DashboardStatus> } | undefined;
  return () => {
    const now = clock();
    if (!last || now - last.at >= maxAgeMs) {
      const value = read();
      last = { at: now, value };
      value.catch(() => {
        last = undefined;
      });
    }
    return last.value;
  };
}

/**
 * The operator dashboard: Baton's status page at `/` (with charts of the last 15 minutes, sampled into memory,
 * and the DLQ browser), its JSON twins `/api/status`, `/api/history` and `/api/dlq…`, `/metrics`, bull-board
 * (read-only) at `/queues`, and an open `/healthz`. Refuses to start on a non-loopback host without credentials.
 */
export function createDashboard(config: DashboardConfig, deps: DashboardDeps): Dashboard {
  const log = childLogger(deps.logger, { component: 'dashboard' });
  const clock = deps.clock ?? Date.now;
  const refreshMs = deps.refreshMs ?? 2000;
  let ownedRedis: Redis | Cluster | undefined;
  let queues: Queue[] = [];
  let app: ReturnType<typeof Fastify> | undefined;
  const prefix = config.BATON_PREFIX;
  const host = config.DASHBOARD_HOST;
  const credentials: Credentials = { token: config.DASHBOARD_TOKEN, basicAuth: basicAuthOf(config) };
  const registry = deps.registry ?? createRegistry('dashboard');
  const metrics = createDashboardMetrics(registry);
  const history = createStatusHistory({
    sampleMs: deps.history?.sampleMs ?? 5000,
    windowMs: deps.history?.windowMs ?? 15 * 60_000,
    clock,
  });
  // Sent back by the page's replay/drop requests; new for each process (a page from before a restart reloads).
  const csrfToken = randomBytes(24).toString('base64url');
  let deadLetters: DeadLetters | undefined;
  let sampler: NodeJS.Timeout | undefined;

  async function cleanup(): Promise<void> {
    if (sampler) clearInterval(sampler);
    sampler = undefined;
    if (app) await app.close().catch((err: unknown) => log.warn({ err }, 'closing http server failed'));
    app = undefined;
    await Promise.all(queues.map((q) => q.close().catch((err) => log.warn({ err }, 'closing queue failed'))));
    queues = [];
    await deadLetters?.close().catch((err: unknown) => log.warn({ err }, 'closing dlq failed'));
    deadLetters = undefined;
    if (ownedRedis) ownedRedis.disconnect();
    ownedRedis = undefined;
  }

  return {
    async start() {
      if (app) throw new Error('dashboard already started');
      if (!isLoopbackHost(host) && !isProtected(credentials)) throw new InsecureBindError(host);
      try {
        if (!deps.redis)
          ownedRedis = createRedis(redisConnectionConfigFrom(config, 'dashboard'), { logger: log });
        const redis = deps.redis ?? ownedRedis!;
        const names = queueNames(prefix);
        const open = (name: string) => {
          const q = new Queue(name, { connection: redis, prefix: bullmqPrefix(prefix) });
          q.on('error', (err) => log.warn({ err, queue: name }, 'queue error'));
          queues.push(q);
          return q;
        };
        const drain = open(names.drain);
        const scheduled = open(names.scheduled);
        const mailbox = createMailbox(redis, { prefix, partitions: config.MAILBOX_PARTITIONS, now: clock });
        const dead = createDeadLetters({
          connection: redis,
          prefix,
          mailbox,
          drainQueue: drain,
          scheduledQueue: scheduled,
          onError: (err) => log.warn({ err, queue: names.dlq }, 'queue error'),
        });
        deadLetters = dead;
        const dlq = dead.queue;
        const reader = createStatusReader(
          {
            redis,
            prefix,
            mailbox,
            queues: { drain, dlq, scheduled },
            ingester: createIngesterStateReader(redis, { prefix, clock }),
          },
          { clock, ...deps.status },
        );
        const read = async () => {
          const status = await reader.read();
          for (const section of Object.keys(status.errors)) metrics.readErrors.inc({ section });
          return status;
        };
        const readStatus = coalesce(read, Math.min(1000, refreshMs / 2), clock);
        let sampling = false;
        const sample = async () => {
          if (sampling) return;
          sampling = true;
          try {
            const status = await readStatus();
            history.add(status);
            metrics.observe(status, history.size);
          } catch (err) {
            log.warn({ err }, 'history sample failed');
          } finally {
            sampling = false;
          }
        };

        // No fastify logger: its request lines would carry `?token=`; errors are logged below without the query.
        const server = Fastify({ logger: false, trustProxy: false });
        app = server;
        server.addHook('onRequest', createAccessGuard(credentials));
        server.addHook('onSend', async (_req, reply) => {
          reply.header('x-content-type-options', 'nosniff');
          reply.header('referrer-policy', 'no-referrer');
          reply.header('x-frame-options', 'DENY');
        });
        server.setErrorHandler(async (err, request, reply) => {
          log.error({ err, method: request.method, path: request.url.split('?', 1)[0] }, 'request failed');
          const status = (err as { statusCode?: number }).statusCode;
          const client = status !== undefined && status >= 400 && status < 500;
          await reply
            .code(status ?? 500)
            .send({ error: client && err instanceof Error ? err.message : 'internal error' });
        });

        server.get('/healthz', async () => ({ status: 'ok' }));
        server.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
        server.get('/api/status', async (_req, reply) => {
          reply.header('cache-control', 'no-store');
          return readStatus();
        });
        server.get('/api/history', async (_req, reply) => {
          reply.header('cache-control', 'no-store');
          return history.document();
        });
        server.get('/metrics', async (_req, reply) => {
          reply.header('cache-control', 'no-store').type(registry.contentType);
          return registry.metrics();
        });
        mountDeadLetterRoutes(server, {
          deadLetters: dead,
          csrfGuard: createCsrfGuard({ token: csrfToken, isProtected: isProtected(credentials) }),
          metrics,
          logger: log,
        });
        server.get('/', async (_req, reply) => {
          const nonce = randomBytes(16).toString('base64');
          reply
            .header('cache-control', 'no-store')
            .header(
              'content-security-policy',
              `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
                "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            )
            .type('text/html; charset=utf-8');
          const [status, dlqList] = await Promise.all([
            readStatus(),
            withTimeout(readDeadLetterList(dead), 2000, () => new ReadTimeoutError('dlq list', 2000)).catch(
              (err: unknown) => {
                log.warn({ err }, 'dead letters could not be read');
                return null;
              },
            ),
          ]);
          return renderStatusPage({
            status,
            history: history.document(),
            dlq: dlqList,
            nonce,
            csrfToken,
            refreshMs,
          });
        });
        await mountBullBoard(
          server,
          [
            { queue: drain, description: 'one drain job per stream with pending events' },
            {
              queue: dlq,
              description:
                'dead letters: events that failed for good (replay or drop them on the status page)',
            },
            { queue: scheduled, description: 'scheduled bot tasks (delayed jobs)' },
          ],
          { title: `Baton · ${prefix}` },
        );

        const address = await server.listen({ host, port: config.DASHBOARD_PORT });
        const url = new URL(address);
        const base = `${url.protocol}//${url.host}`;
        await sample();
        sampler = setInterval(() => void sample(), history.sampleMs);
        sampler.unref();
        log.info({ url: base, protected: isProtected(credentials), prefix }, 'dashboard listening');
        return { url: base };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
    async stop() {
      await cleanup();
      log.info('dashboard stopped');
    },
  };
}
