import { setTimeout as sleep } from 'node:timers/promises';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createAgentFrontEnd } from './agent-front-end.ts';
import { registerChatPage } from './chat/register-chat-page.ts';
import { createControl } from './control.ts';
import type { FaultDecision, FaultInjector } from './faults/fault-injector.ts';
import type { SimLogger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { registerAgentControlRoutes } from './routes/agent-control-routes.ts';
import { registerAppControlRoutes } from './routes/app-control-routes.ts';
import { registerAttachmentRoutes } from './routes/attachment-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerCertAuthRoutes } from './routes/cert-auth-routes.ts';
import { registerControlRoutes } from './routes/control-routes.ts';
import { registerDatafeedRoutes } from './routes/datafeed-routes.ts';
import { registerLiveRoute } from './routes/live-route.ts';
import { registerMessageRoutes } from './routes/message-routes.ts';
import { registerMessageUpdateRoute } from './routes/message-update-route.ts';
import { registerMetricsRoute } from './routes/metrics-route.ts';
import { registerOboAuthRoutes } from './routes/obo-auth-routes.ts';
import { registerPodRoutes } from './routes/pod-routes.ts';
import { applySeed } from './seed/apply-seed.ts';
import { makeSelfSignedCert } from './self-signed-cert.ts';
import { SimCore } from './sim-core.ts';
import { SimHttpError } from './sim-error.ts';
import type { SimAgentFrontEnd, Simulator, SimulatorOptions } from './types.ts';

const BODY_LIMIT = 64 * 1024 * 1024;

const FAULT_MESSAGES = {
  400: 'Too Many Requests', // the agent's 429 mapped to 400 (Retry-After kept)
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

type ParserDone = (err: Error | null, body?: unknown) => void;

/** A string body parser: blank → no body; JSON → parsed; anything else → `fallback(text)`. */
function jsonOr(fallback: (text: string, done: ParserDone) => void) {
  return (_req: unknown, body: string | Buffer, done: ParserDone): void => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      fallback(text, done);
      return;
    }
    done(null, parsed);
  };
}

function installBodyParsers(app: FastifyInstance): void {
  // JSON: an empty body (bodiless POST with a JSON content type) is accepted as "no body".
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    jsonOr((_text, done) => done(new SimHttpError(400, 'Malformed JSON body'), undefined)),
  );
  // Anything else (text/plain, octet-stream, none): try JSON, else keep the raw text.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    '*',
    { parseAs: 'string' },
    jsonOr((text, done) => done(null, text)),
  );
}

/** SimHttpError → its status and body; other errors → `{code, message}`; unknown routes → 404. */
function installErrorHandlers(app: FastifyInstance, logger: SimLogger): void {
  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof SimHttpError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).type('application/json').send(err.body);
    }
    const e = err as { statusCode?: number; message?: string; code?: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) logger.error({ err, route: routeKey(req) }, 'simulator route failed');
    return reply
      .code(status)
      .type('application/json')
      .send({ code: status, message: e.message ?? 'Internal Server Error' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .type('application/json')
      .send({ code: 404, message: `No route for ${req.method} ${req.url}` });
  });
}

/**
 * Counts the request, then applies the first fault one of `injectors` decides (in order; their latencies add
 * up). The control API and the chat page are never faulted.
 */
function faultHook(core: SimCore, injectors: readonly FaultInjector[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    core.countRequest(routeKey(req));
    const path = req.url.split('?')[0] ?? '';
    if (!injectors.some((f) => f.active) || path.startsWith('/_sim') || path === '/') return;
    let d: FaultDecision = { kind: 'none', latencyMs: 0 };
    let latencyMs = 0;
    for (const injector of injectors) {
      if (!injector.active) continue;
      d = injector.decide(req.method, path);
      latencyMs += d.latencyMs;
      if (d.kind !== 'none') break;
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (d.kind === 'drop') {
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    if (d.kind === 'status') {
      if (d.retryAfterSeconds !== undefined) reply.header('Retry-After', String(d.retryAfterSeconds));
      const message = FAULT_MESSAGES[d.status];
      return reply.code(d.status).type('application/json').send({ code: d.status, message });
    }
  };
}

function routeKey(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? '<unmatched>'}`;
}

/** Start a simulated Symphony pod + agent + key manager (+ `/_sim` control API and chat page). */
export async function createSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const logger = (opts.logger ?? silentLogger).child({ component: 'pod-simulator' });
  const core = new SimCore({
    longPollMs: opts.longPollMs ?? 30_000,
    redeliveryMs: opts.redeliveryMs ?? 30_000,
    feedTtlMs: opts.feedTtlMs ?? 30 * 60_000,
    v1QueueSize: opts.v1QueueSize ?? 250,
    maxEventsPerRead: opts.maxEventsPerRead ?? 100,
    logger,
  });
  const control = createControl(core);
  if (opts.seed) applySeed(control, opts.seed, opts.seedDir);

  let caCertPem: string | undefined;
  let https: { cert: string; key: string } | undefined;
  if (opts.https === 'self-signed') {
    const made = await makeSelfSignedCert();
    https = made;
    caCertPem = made.cert;
  } else if (opts.https) {
    https = opts.https;
    caCertPem = opts.https.cert;
  }
  let certServerTls: { cert: string; key: string } | undefined;
  if (opts.certAuth) {
    certServerTls = https ?? (await makeSelfSignedCert());
    caCertPem ??= certServerTls.cert;
  }

  // Fastify types HTTP and HTTPS servers apart; the routes only use what both share, hence the cast.
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    keepAliveTimeout: 65_000,
    requestTimeout: 0,
    logger: false,
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;

  /** What every listener serving the API shares (the main one, each extra agent front-end). */
  const prepare = async (server: FastifyInstance, faults: readonly FaultInjector[]): Promise<void> => {
    installBodyParsers(server);
    await server.register(multipart, {
      limits: { fieldSize: 4 * 1024 * 1024, fileSize: 30 * 1024 * 1024, files: 50, fields: 20 },
    });
    server.addHook('onRequest', faultHook(core, faults));
    installErrorHandlers(server, logger);
  };
  await prepare(app, [core.faults]);
  // Filled once the main listener is up; the control routes read it per request.
  const agents: (SimAgentFrontEnd & { close(): Promise<void> })[] = [];

  registerAuthRoutes(app, core);
  registerOboAuthRoutes(app, core);
  registerPodRoutes(app, core);
  registerDatafeedRoutes(app, core);
  registerMessageRoutes(app, core);
  registerMessageUpdateRoute(app, core);
  registerControlRoutes(app, core, control);
  registerAgentControlRoutes(app, agents);
  registerMetricsRoute(app, control);
  registerAppControlRoutes(app, control);
  registerAttachmentRoutes(app, core);
  const endLive = registerLiveRoute(app, core);
  registerChatPage(app);

  const host = opts.host ?? '127.0.0.1';
  const origin = (scheme: string, server: FastifyInstance, fallback: number): string => {
    const addr = server.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : fallback;
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  await app.listen({ port: opts.port ?? 0, host });
  const url = origin(https ? 'https' : 'http', app, opts.port ?? 0);
  logger.info({ url }, 'pod simulator listening');

  // Extra agent front-ends over the same core: the same feeds, sessions and messages on other ports. Their own
  // fault injector comes first, then the pod-wide one.
  try {
    for (let index = 0; index < (opts.agents ?? 0); index++) {
      const port = opts.agentPorts?.[index];
      agents.push(
        await createAgentFrontEnd(core, {
          index,
          host,
          ...(port !== undefined ? { port } : {}),
          ...(https ? { https } : {}),
          prepare: (server, own) => prepare(server, [own, core.faults]),
          logger,
        }),
      );
    }
  } catch (error) {
    await Promise.all([app.close(), ...agents.map((a) => a.close())]);
    throw error;
  }

  // Certificate authentication: its own listener, as Symphony's sessionauth / keyauth hosts are. The handshake
  // asks for a client certificate and checks it against the CA but never refuses it, so the route answers with
  // the documented error instead of a reset connection.
  let certApp: FastifyInstance | undefined;
  let certAuthUrl: string | undefined;
  if (opts.certAuth && certServerTls) {
    const certAuth = opts.certAuth;
    certApp = Fastify({
      forceCloseConnections: true,
      logger: false,
      https: { ...certServerTls, ca: certAuth.caCertPem, requestCert: true, rejectUnauthorized: false },
    }) as unknown as FastifyInstance;
    installBodyParsers(certApp);
    certApp.addHook('onRequest', async (req: FastifyRequest) => {
      core.countRequest(routeKey(req));
    });
    installErrorHandlers(certApp, logger);
    registerCertAuthRoutes(certApp, core);
    try {
      await certApp.listen({ port: certAuth.port ?? 0, host });
    } catch (error) {
      await Promise.all([app.close(), ...agents.map((a) => a.close())]);
      throw error;
    }
    certAuthUrl = origin('https', certApp, certAuth.port ?? 0);
    logger.info({ url: certAuthUrl }, 'certificate authentication (mutual TLS) listening');
  }

  let closed = false;
  return {
    url,
    ...(caCertPem ? { caCertPem } : {}),
    ...(certAuthUrl ? { certAuthUrl } : {}),
    control,
    agents,
    async close() {
      if (closed) return;
      closed = true;
      endLive();
      core.close();
      await Promise.all([app.close(), certApp?.close(), ...agents.map((a) => a.close())]);
    },
  };
}
