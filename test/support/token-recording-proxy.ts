import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Request headers that carry credentials (lower-case). */
const SECRET_HEADERS = ['authorization', 'sessiontoken', 'keymanagertoken'];

/** Which answers to hold, and for how long. */
export interface DelayRule {
  method: string;
  pathIncludes: string;
  ms: number;
  times: number;
  /** Only answers whose body is at least this long (`content-length`): e.g. a datafeed read that has events. */
  minBytes?: number;
  /** Called when an answer is being held (the simulator has already handled the request). */
  onHold?: () => void;
}

export interface TokenRecordingProxy {
  /** Point SYMPHONY_POD_URL here. */
  url: string;
  /** Every credential seen: tokens issued by `/…/authenticate` and credential header values sent by clients. */
  secrets(): string[];
  /**
   * Holds the next `times` answers to `method` requests whose path contains `pathIncludes` for `ms` after the
   * simulator handled them: an ambiguous failure (done upstream, the client times out) the simulator's own
   * faults, which act before a request is handled, cannot produce.
   */
  delayResponses(rule: DelayRule): void;
  /** Every request that went through: method, path (query left out) and its `X-Trace-Id`. */
  requests(): { method: string; path: string; traceId: string | undefined }[];
  close(): Promise<void>;
}

/**
 * A transparent HTTP proxy in front of the simulator that remembers every session/key-manager token it issues
 * and every credential header the services send, so a test can scan the services' logs for them.
 */
export async function startTokenRecordingProxy(targetUrl: string): Promise<TokenRecordingProxy> {
  const target = new URL(targetUrl);
  const seen = new Set<string>();
  let delay: DelayRule | undefined;
  const requests: { method: string; path: string; traceId: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    const traceId = req.headers['x-trace-id'];
    requests.push({
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      traceId: typeof traceId === 'string' ? traceId : undefined,
    });
    for (const name of SECRET_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string' && value.length >= 16) {
        seen.add(value);
        const bearer = /^Bearer\s+(.+)$/i.exec(value)?.[1];
        if (bearer) seen.add(bearer);
      }
    }
    // The signed JWT a service sends to authenticate is a credential too.
    if ((req.url ?? '').includes('/authenticate')) {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        try {
          const jwt = (JSON.parse(Buffer.concat(body).toString('utf8')) as { token?: unknown }).token;
          if (typeof jwt === 'string' && jwt.length >= 16) seen.add(jwt);
        } catch {
          // not JSON: nothing to record
        }
      });
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        const hold =
          delay &&
          delay.times > 0 &&
          req.method === delay.method &&
          (req.url ?? '').includes(delay.pathIncludes) &&
          Number(up.headers['content-length'] ?? 0) >= (delay.minBytes ?? 0)
            ? delay
            : undefined;
        if (hold) {
          hold.times -= 1;
          hold.onHold?.();
          up.pause();
          setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            up.resume();
          }, hold.ms);
          return;
        }
        const isAuth = (req.url ?? '').includes('/authenticate');
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (!isAuth) {
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          try {
            const token = (JSON.parse(body.toString('utf8')) as { token?: unknown }).token;
            if (typeof token === 'string' && token.length >= 16) seen.add(token);
          } catch {
            // not JSON (an error page): nothing to record
          }
          res.end(body);
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // The client went away before the answer (aborted long poll, killed process): abort upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests: () => [...requests],
    url: `http://127.0.0.1:${port}`,
    secrets: () => [...seen],
    delayResponses(rule) {
      delay = { ...rule };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
