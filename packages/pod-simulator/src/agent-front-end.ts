import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { FaultInjector } from './faults/fault-injector.ts';
import type { SimLogger } from './logger.ts';
import { registerAttachmentRoutes } from './routes/attachment-routes.ts';
import { registerDatafeedRoutes } from './routes/datafeed-routes.ts';
import { registerMessageRoutes } from './routes/message-routes.ts';
import { registerMessageUpdateRoute } from './routes/message-update-route.ts';
import { registerPodRoutes } from './routes/pod-routes.ts';
import type { SimCore } from './sim-core.ts';
import { SimHttpError } from './sim-error.ts';
import type { FaultSpec, SimAgentFrontEnd } from './types.ts';

export interface AgentFrontEndOptions {
  index: number;
  host: string;
  /** 0: a free port, kept for `revive`. */
  port?: number;
  https?: { cert: string; key: string };
  /**
   * What every listener of the simulator shares, installed on each new Fastify app of the front-end: body
   * parsers, multipart, the request counting and fault hook (with `faults`, this front-end's own injector,
   * before the pod-wide one), error handlers.
   */
  prepare(app: FastifyInstance, faults: FaultInjector): Promise<void>;
  logger: SimLogger;
}

const routeKey = (req: FastifyRequest): string => `${req.method} ${req.routeOptions.url ?? '<unmatched>'}`;

/**
 * One more agent over the simulator's pod state, on its own port, as a real deployment runs several agents in
 * front of one pod: the agent API (datafeeds, messages, attachments, and `/pod`, which an agent proxies), the
 * same sessions, feeds and messages as every other front-end. It can be killed (its listener closed and every
 * connection destroyed: calls are refused) and revived on the same port, and faulted alone.
 */
export async function createAgentFrontEnd(
  core: SimCore,
  opts: AgentFrontEndOptions,
): Promise<SimAgentFrontEnd & { close(): Promise<void> }> {
  const log = opts.logger.child({ agent: opts.index });
  const faults = new FaultInjector();
  const requests = new Map<string, number>();
  let app: FastifyInstance | undefined;
  let port = opts.port ?? 0;
  let changing: Promise<void> = Promise.resolve();
  const scheme = opts.https ? 'https' : 'http';
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  async function listen(): Promise<void> {
    const next = Fastify({
      bodyLimit: 64 * 1024 * 1024,
      forceCloseConnections: true,
      keepAliveTimeout: 65_000,
      requestTimeout: 0,
      logger: false,
      ...(opts.https ? { https: opts.https } : {}),
    }) as unknown as FastifyInstance;
    next.addHook('onRequest', async (req: FastifyRequest) => {
      const key = routeKey(req);
      requests.set(key, (requests.get(key) ?? 0) + 1);
    });
    await opts.prepare(next, faults);
    registerPodRoutes(next, core);
    registerDatafeedRoutes(next, core);
    registerMessageRoutes(next, core);
    registerMessageUpdateRoute(next, core);
    registerAttachmentRoutes(next, core);
    await next.listen({ port, host: opts.host });
    const addr = next.server.address();
    if (typeof addr === 'object' && addr) port = addr.port;
    app = next;
    log.info({ url: front.url }, 'agent front-end listening');
  }

  /** One kill or revive at a time, in call order. */
  const serialised = (fn: () => Promise<void>): Promise<void> => {
    changing = changing.then(fn, fn);
    return changing;
  };

  const front: SimAgentFrontEnd & { close(): Promise<void> } = {
    index: opts.index,
    get url() {
      return `${scheme}://${hostPart}:${port}`;
    },
    get up() {
      return app !== undefined;
    },
    requests: () => Object.fromEntries(requests),
    kill: () =>
      serialised(async () => {
        const victim = app;
        if (!victim) return;
        app = undefined;
        // forceCloseConnections: the held datafeed reads and keep-alive sockets are destroyed with it.
        await victim.close();
        log.info({ url: front.url }, 'agent front-end killed');
      }),
    revive: () =>
      serialised(async () => {
        if (!app) await listen();
      }),
    setFaults(spec: FaultSpec) {
      try {
        faults.set(spec);
      } catch (err) {
        throw new SimHttpError(400, (err as Error).message);
      }
    },
    clearFaults: () => faults.clear(),
    close: () => front.kill(),
  };
  await listen();
  return front;
}
