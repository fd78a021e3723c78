import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { childLogger } from '../logging/child-logger.ts';

export type Readiness = boolean | { ready: boolean; detail?: Record<string, unknown> | string };

export interface OpsServerConfig {
  host?: string;
  /** 0 picks a free port (returned by `start()`). */
  port: number;
}

export interface OpsServerDeps {
  registry: Registry;
  logger: Logger;
  /** Liveness: false only when the process should be restarted. */
  isLive(): boolean;
  /** Readiness: whether the service can do its job now (e.g. Redis and Symphony reachable). */
  isReady(): Readiness | Promise<Readiness>;
}

export interface OpsServer {
  /** Listens; resolves with the bound port. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `GET /healthz`, `GET /readyz` (JSON, 200/503) and `GET /metrics` (Prometheus text of the given registry).
 * Call as `createOpsServer(config, deps)` or with everything in one object.
 */
export function createOpsServer(options: OpsServerConfig & OpsServerDeps): OpsServer;
export function createOpsServer(config: OpsServerConfig, deps: OpsServerDeps): OpsServer;
export function createOpsServer(
  config: OpsServerConfig | (OpsServerConfig & OpsServerDeps),
  maybeDeps?: OpsServerDeps,
): OpsServer {
  const deps = maybeDeps ?? (config as OpsServerConfig & OpsServerDeps);
  const logger = childLogger(deps.logger, { component: 'ops-server' });
  let server: Server | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
    if (!known) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    if (path === '/healthz') {
      const live = safely(() => deps.isLive(), false);
      return sendJson(res, live ? 200 : 503, { status: live ? 'ok' : 'unhealthy' });
    }
    if (path === '/readyz') {
      let readiness: Readiness;
      try {
        readiness = await deps.isReady();
      } catch (error) {
        readiness = {
          ready: false,
          detail: { error: error instanceof Error ? error.message : String(error) },
        };
      }
      const { ready, detail } =
        typeof readiness === 'boolean' ? { ready: readiness, detail: undefined } : readiness;
      return sendJson(res, ready ? 200 : 503, { ready, ...(detail === undefined ? {} : { detail }) });
    }
    const body = await deps.registry.metrics();
    res.writeHead(200, { 'Content-Type': deps.registry.contentType });
    res.end(body);
  }

  return {
    start() {
      const srv = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error({ err: error, url: req.url }, 'ops request failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          else res.end();
        });
      });
      server = srv;
      return new Promise<number>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(config.port, config.host ?? '0.0.0.0', () => {
          srv.off('error', reject);
          const { port } = srv.address() as AddressInfo;
          logger.info({ host: config.host ?? '0.0.0.0', port }, 'ops server listening');
          resolve(port);
        });
      });
    },
    stop() {
      const srv = server;
      server = undefined;
      if (!srv) return Promise.resolve();
      return new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
