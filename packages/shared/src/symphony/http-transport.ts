import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance } from 'axios';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Logger } from 'pino';
import type { ResolvedSymphonyClientConfig } from './client-config.ts';
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

/** The TLS options that present the client certificate (mutual TLS). */
function clientCertTls(auth: ResolvedSymphonyClientConfig['auth']): https.AgentOptions | undefined {
  if (auth.kind !== 'certificate') return undefined;
  const c = auth.certificate;
  const passphrase = c.passphrase === undefined ? {} : { passphrase: c.passphrase };
  return 'pfx' in c ? { pfx: c.pfx, ...passphrase } : { cert: c.certPem, key: c.keyPem, ...passphrase };
}

/** An axios instance on one pair of agents (keep-alive, custom CA, proxy, optional client certificate). */
function makeClient(
  config: ResolvedSymphonyClientConfig,
  tls: https.AgentOptions,
): { client: AxiosInstance; agents: http.Agent[] } {
  const proxyAgent = config.proxyUrl
    ? new HttpsProxyAgent(config.proxyUrl, { keepAlive: true, ...tls })
    : undefined;
  const httpAgent = proxyAgent ?? new http.Agent({ keepAlive: true });
  const httpsAgent = proxyAgent ?? new https.Agent({ keepAlive: true, ...tls });
  const client = axios.create({
    httpAgent,
    httpsAgent,
    proxy: false, // the proxy comes from config only (HTTPS_PROXY via the agent), never from axios' env lookup
    validateStatus: () => true,
    maxBodyLength: MAX_BODY_BYTES,
    maxContentLength: MAX_BODY_BYTES,
    maxRedirects: 0,
    responseType: 'json',
  });
  return { client, agents: httpsAgent === httpAgent ? [httpAgent] : [httpAgent, httpsAgent] };
}

/**
 * The axios layer: agents (keep-alive, custom CA, proxy), per-attempt timeout and abort, error mapping. With
 * certificate authentication, the `sessionAuth` and `keyAuth` origins get their own agents that present the
 * client certificate; no other call does.
 */
export function createHttpTransport(
  config: ResolvedSymphonyClientConfig,
  deps: { logger: Logger },
): HttpTransport {
  // A custom `ca` replaces Node's bundled roots, so keep them alongside the extra CA.
  const tls: https.AgentOptions = config.caCertPem ? { ca: [...rootCertificates, config.caCertPem] } : {};
  const plain = makeClient(config, tls);
  const certTls = clientCertTls(config.auth);
  const withCert = certTls ? makeClient(config, { ...tls, ...certTls }) : undefined;
  const clientFor = (origin: Origin): AxiosInstance =>
    withCert && (origin === 'sessionAuth' || origin === 'keyAuth') ? withCert.client : plain.client;

  const originUrl: Record<Origin, string> = {
    pod: config.podUrl,
    agent: config.agentUrl,
    login: config.loginUrl,
    keyManager: config.keyManagerUrl,
    sessionAuth: config.sessionAuthUrl,
    keyAuth: config.keyAuthUrl,
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
      timedOut: timedOut && !aborted,
      aborted,
      timeoutMs: opts.timeoutMs,
    });
    const started = Date.now();
    try {
      const res = await clientFor(req.origin).request({
        method: req.method,
        url: originUrl[req.origin] + req.path,
        params: req.query,
        data: req.body,
        ...(req.responseType === 'text' ? { responseType: 'text' as const } : {}),
        ...(req.maxResponseBytes === undefined
          ? {}
          : { maxContentLength: Math.min(req.maxResponseBytes, MAX_BODY_BYTES) }),
        headers: { 'X-Trace-Id': opts.traceId, Accept: 'application/json', ...req.headers },
        signal: controller.signal,
      });
      deps.logger.debug(
        {
          method: req.method,
          path: req.path,
          status: res.status,
          traceId: opts.traceId,
          ms: Date.now() - started,
        },
        'symphony call',
      );
      if (res.status >= 200 && res.status < 300) return { status: res.status, data: res.data };
      throw mapHttpError({ status: res.status, headers: res.headers, data: res.data }, failureCtx());
    } catch (error) {
      if (error instanceof SymphonyError) throw error; // mapped above from a non-2xx response
      // axios stops reading at maxContentLength (counted while streaming) and rejects with this message.
      if (error instanceof Error && /^maxContentLength size of \d+ exceeded/.test(error.message)) {
        throw new ResponseTooLargeError(`Response body of ${req.path} exceeds ${req.maxResponseBytes ?? MAX_BODY_BYTES} bytes`, {
          path: req.path,
          traceId: opts.traceId,
          limitBytes: Math.min(req.maxResponseBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES),
        });
      }
      throw mapHttpError(error, failureCtx());
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    send,
    close(): void {
      for (const agent of [...plain.agents, ...(withCert?.agents ?? [])]) agent.destroy();
    },
  };
}
