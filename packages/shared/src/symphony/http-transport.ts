import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import { Agent, type Dispatcher, ProxyAgent } from 'undici';
import type { ResolvedSymphonyClientConfig } from './client-config.ts';
import { encodeMultipart } from './encode-multipart.ts';
import { ResponseTooLargeError, SymphonyError } from './errors.ts';
import { mapHttpError } from './map-http-error.ts';

/**
 * Which configured origin a path is sent to. `sessionAuth` and `keyAuth` are the certificate authentication
 * hosts: only calls to them present the bot's client certificate.
 */
export type Origin = 'pod' | 'agent' | 'login' | 'keyManager' | 'sessionAuth' | 'keyAuth';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  origin: Origin;
  /** Full path including the context path, e.g. `/pod/v2/sessioninfo`. Already URL-safe. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON-serialisable body, or a FormData for multipart. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A plain 400 means the feed is gone (datafeed read/ack/delete). */
  datafeed?: boolean;
  /** A 403 means the user has too many datafeeds (v5 feed create and read): `FeedLimitError`. */
  feedLimit?: boolean;
  /** A message create or update: the agent's size refusal is `MessageTooLargeError`. */
  messageSend?: boolean;
  /** `text`: the 2xx body as a string, not parsed (the attachment download's base64). Default `json`. */
  responseType?: 'json' | 'text';
  /**
   * Refuse a body larger than this many bytes: the read stops there and `send` throws `ResponseTooLargeError`
   * (not retried). Default (and ceiling) 64 MiB. A transport must count bytes as they arrive, not after.
   */
  maxResponseBytes?: number;
}

export interface AttemptOptions {
  traceId: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  data: unknown;
}

export interface HttpTransport {
  /** One HTTP exchange: resolves on 2xx, otherwise throws the mapped `SymphonyError`. */
  send(req: HttpRequest, opts: AttemptOptions): Promise<HttpResponse>;
  close(): void;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** TLS options of a connection: the CA bundle and, for the certificate-auth origins, the client certificate. */
interface TlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
}

/** The TLS options that present the client certificate (mutual TLS). */
function clientCertTls(auth: ResolvedSymphonyClientConfig['auth']): TlsOptions | undefined {
  if (auth.kind !== 'certificate') return undefined;
  const c = auth.certificate;
  const passphrase = c.passphrase === undefined ? {} : { passphrase: c.passphrase };
  return 'pfx' in c ? { pfx: c.pfx, ...passphrase } : { cert: c.certPem, key: c.keyPem, ...passphrase };
}

/**
 * One undici dispatcher (a keep-alive connection pool per origin): through the configured proxy (HTTPS_PROXY,
 * CONNECT tunnel for every call, as before) or direct, with the given TLS options on the Symphony side. The
 * transport's own timer bounds every call, so undici's header/body timeouts are off.
 */
function makeDispatcher(config: ResolvedSymphonyClientConfig, tls: TlsOptions): Dispatcher {
  const common = { headersTimeout: 0, bodyTimeout: 0 };
  return config.proxyUrl
    ? new ProxyAgent({
        uri: config.proxyUrl,
        requestTls: tls,
        // An https:// proxy is verified against the same CA bundle (the client certificate is for Symphony only).
        ...(tls.ca ? { proxyTls: { ca: tls.ca } } : {}),
        proxyTunnel: true,
        ...common,
      })
    : new Agent({ connect: tls, ...common });
}

/** `path?query`, dropping undefined values (as axios' `params` did). */
function pathWithQuery(path: string, query: HttpRequest['query']): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** The request body and its content type: FormData as multipart, anything else as JSON. */
async function encodeBody(body: unknown): Promise<{ body?: string | Buffer; contentType?: string }> {
  if (body === undefined) return {};
  if (body instanceof FormData) return encodeMultipart(body);
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** The response body read to its end, refused past `limit` bytes (counted as chunks arrive). */
async function readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(buf);
  }
  return chunks.length === 1
    ? (chunks[0] as Buffer).toString('utf8')
    : Buffer.concat(chunks).toString('utf8');
}

/** A JSON body parsed; an empty or non-JSON body as its text (what axios' `responseType: 'json'` gave). */
function parseJsonBody(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The HTTP layer on undici: a keep-alive pool per origin (custom CA, proxy, optional client certificate),
 * per-attempt timeout and abort, bounded response bodies, error mapping. With certificate authentication, the
 * `sessionAuth` and `keyAuth` origins go through their own dispatcher that presents the client certificate; no
 * other call does.
 */
export function createHttpTransport(
  config: ResolvedSymphonyClientConfig,
  deps: { logger: Logger },
): HttpTransport {
  // A custom `ca` replaces Node's bundled roots, so keep them alongside the extra CA.
  const tls: TlsOptions = config.caCertPem ? { ca: [...rootCertificates, config.caCertPem] } : {};
  const plain = makeDispatcher(config, tls);
  const certTls = clientCertTls(config.auth);
  const withCert = certTls ? makeDispatcher(config, { ...tls, ...certTls }) : undefined;
  const dispatcherFor = (origin: Origin): Dispatcher =>
    withCert && (origin === 'sessionAuth' || origin === 'keyAuth') ? withCert : plain;

  // Each configured URL split once into its origin and context path (`https://host:port` + `/pod`).
  const target = (url: string) => {
    const u = new URL(url);
    return { origin: u.origin, base: u.pathname.replace(/\/+$/, '') };
  };
  const originOf: Record<Origin, { origin: string; base: string }> = {
    pod: target(config.podUrl),
    agent: target(config.agentUrl),
    login: target(config.loginUrl),
    keyManager: target(config.keyManagerUrl),
    sessionAuth: target(config.sessionAuthUrl),
    keyAuth: target(config.keyAuthUrl),
  };

  async function send(req: HttpRequest, opts: AttemptOptions): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      controller.abort();
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    const failureCtx = () => ({
      method: req.method,
      path: req.path,
      traceId: opts.traceId,
      datafeed: req.datafeed ?? false,
      feedLimit: req.feedLimit ?? false,
      messageSend: req.messageSend ?? false,
      timedOut: timedOut && !aborted,
      aborted,
      timeoutMs: opts.timeoutMs,
    });
    const limit = Math.min(req.maxResponseBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES);
    const started = Date.now();
    try {
      const { origin, base } = originOf[req.origin];
      const { body, contentType } = await encodeBody(req.body);
      const res = await dispatcherFor(req.origin).request({
        origin,
        path: pathWithQuery(base + req.path, req.query),
        method: req.method,
        headers: {
          'X-Trace-Id': opts.traceId,
          Accept: 'application/json',
          ...(contentType ? { 'Content-Type': contentType } : {}),
          ...req.headers,
        },
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      const text = await readBody(res.body, limit);
      if (text === null) {
        throw new ResponseTooLargeError(`Response body of ${req.path} exceeds ${limit} bytes`, {
          path: req.path,
          traceId: opts.traceId,
          limitBytes: limit,
        });
      }
      const data = req.responseType === 'text' ? text : parseJsonBody(text);
      const status = res.statusCode;
      deps.logger.debug(
        { method: req.method, path: req.path, status, traceId: opts.traceId, ms: Date.now() - started },
        'symphony call',
      );
      if (status >= 200 && status < 300) return { status, data };
      throw mapHttpError({ status, headers: res.headers, data }, failureCtx());
    } catch (error) {
      if (error instanceof SymphonyError) throw error; // mapped above (a non-2xx response, a body too large)
      throw mapHttpError(error, failureCtx());
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    send,
    close(): void {
      for (const d of new Set([plain, withCert])) void d?.destroy().catch(() => {});
    },
  };
}
