import type { Logger } from 'pino';
import { toUrlSafeId } from '../ids/normalize-id.ts';
import { childLogger } from '../logging/child-logger.ts';
import { inClientSpan } from '../tracing/in-span.ts';
import { activeTraceId } from '../tracing/trace-carrier.ts';
import { checkAttachments } from './attachment-limits.ts';
import { callWithRetry } from './call-with-retry.ts';
import { DEFAULT_TIMEOUT_MS, resolveClientConfig } from './client-config.ts';
import { UnauthorizedError } from './errors.ts';
import { createHttpTransport, type HttpRequest } from './http-transport.ts';
import { buildMessageForm } from './message-form.ts';
import { checkMessageSize } from './message-limits.ts';
import {
  APP_AUTH_PATH,
  createOboSessionManager,
  DEFAULT_OBO_MAX_SESSIONS,
  DEFAULT_OBO_SESSION_MAX_AGE_MS,
} from './obo-session-manager.ts';
import type { OboClient, OboClients, OboUser, StreamAttributes } from './obo-types.ts';
import type { RetryPolicyWithJitter } from './retry-policy.ts';
import { newTraceId } from './trace-id.ts';
import type { CallOptions, RoomDetail, SessionInfo, V4MessageOut } from './types.ts';

/** What `createOboClients` needs: where the pod is, and the app's id and RSA private key. */
export interface OboClientConfig {
  /** Pod origin; `/pod/...` is appended. */
  podUrl: string;
  /** Agent origin (messages); defaults to `podUrl`. */
  agentUrl?: string;
  /** Login origin (`/login/pubkey/app/...`); defaults to `podUrl`. */
  loginUrl?: string;
  /** The app id registered on the pod: the `sub` of the app JWT. */
  appId: string;
  /** The app's RSA private key, PEM (PKCS#8 or PKCS#1). Kept in memory only; never logged. */
  appPrivateKeyPem: string;
  caCertPem?: string;
  proxyUrl?: string;
  /** Per-request timeout in ms (default 20 000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicyWithJitter>;
  /** Longest time a user session is reused (default 50 min; shorter when the token's own `exp` says so). */
  sessionMaxAgeMs?: number;
  /** Most user sessions cached at once (default 1000, least recently used dropped first). */
  maxSessions?: number;
}

/** `OboClients` plus `authenticateApp()` (check the app login now) and `close()` (sockets, tokens). */
export interface ClosableOboClients extends OboClients {
  authenticateApp(opts?: CallOptions): Promise<void>;
  close(): void;
}

/**
 * The on-behalf-of clients of one app: `forUser(user)` gives a client limited to the OBO-enabled calls Baton
 * uses (session info, send a message, list streams, create an IM or a room), each made with that user's session
 * token, which `createOboSessionManager` makes and caches. A 401 on a call renews that user's session once and
 * replays the call; retries and coded errors are the bot client's (`createSymphonyClient`).
 */
export function createOboClients(config: OboClientConfig, deps: { logger: Logger }): ClosableOboClients {
  const logger = childLogger(deps.logger, { component: 'symphony-obo-client', appId: config.appId });
  // The transport only needs the URLs, TLS and proxy: it is configured like a bot client with the app's key.
  const resolved = resolveClientConfig({
    podUrl: config.podUrl,
    ...(config.agentUrl ? { agentUrl: config.agentUrl } : {}),
    ...(config.loginUrl ? { loginUrl: config.loginUrl } : {}),
    botUsername: config.appId,
    privateKeyPem: config.appPrivateKeyPem,
    ...(config.caCertPem ? { caCertPem: config.caCertPem } : {}),
    ...(config.proxyUrl ? { proxyUrl: config.proxyUrl } : {}),
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const retry = config.retry ?? {};
  const transport = createHttpTransport(resolved, { logger });
  const sessions = createOboSessionManager(
    {
      appId: config.appId,
      appPrivateKeyPem: config.appPrivateKeyPem,
      timeoutMs: resolved.timeoutMs,
      sessionMaxAgeMs: config.sessionMaxAgeMs ?? DEFAULT_OBO_SESSION_MAX_AGE_MS,
      maxSessions: config.maxSessions ?? DEFAULT_OBO_MAX_SESSIONS,
    },
    { transport, logger },
  );

  function call<T>(user: OboUser, spec: HttpRequest, opts: CallOptions = {}): Promise<T> {
    return inClientSpan(
      `symphony obo ${spec.method} ${spec.origin}`,
      { 'http.route': spec.path },
      async () => {
        const traceId = opts.traceId ?? activeTraceId() ?? newTraceId();
        const signal = opts.signal;
        const attemptOpts = {
          traceId,
          timeoutMs: opts.timeoutMs ?? resolved.timeoutMs,
          ...(signal ? { signal } : {}),
        };
        let reauthenticated = false;
        const res = await callWithRetry(
          async () => {
            const token = await sessions.getUserToken(user, signal);
            try {
              return await transport.send({ ...spec, headers: { sessionToken: token } }, attemptOpts);
            } catch (error) {
              if (!(error instanceof UnauthorizedError) || reauthenticated) throw error;
              reauthenticated = true;
              const fresh = await sessions.refreshUserToken(user, token, signal);
              return await transport.send({ ...spec, headers: { sessionToken: fresh } }, attemptOpts);
            }
          },
          {
            policy: { ...retry, ...opts.retry },
            logger,
            path: spec.path,
            traceId,
            ...(signal ? { signal } : {}),
          },
        );
        return res.data as T;
      },
    );
  }

  const streamPath = (streamId: string): string => encodeURIComponent(toUrlSafeId(streamId));

  function forUser(user: OboUser): OboClient {
    const who: OboUser = 'userId' in user ? { userId: user.userId } : { username: user.username };
    return {
      user: who,
      getSessionInfo: (opts) =>
        call<SessionInfo>(who, { method: 'GET', origin: 'pod', path: '/pod/v2/sessioninfo' }, opts),
      async sendMessage(streamId, msg, opts) {
        checkMessageSize(msg.message, msg.data);
        if (msg.attachments?.length) checkAttachments(msg.attachments);
        return call<V4MessageOut>(
          who,
          {
            method: 'POST',
            origin: 'agent',
            path: `/agent/v4/stream/${streamPath(streamId)}/message/create`,
            body: buildMessageForm(msg),
            messageSend: true,
          },
          opts,
        );
      },
      async listStreams(filter, page, opts) {
        const data = await call<unknown>(
          who,
          {
            method: 'POST',
            origin: 'pod',
            path: '/pod/v1/streams/list',
            query: { skip: page?.skip, limit: page?.limit },
            body: {
              ...(filter?.streamTypes ? { streamTypes: filter.streamTypes.map((type) => ({ type })) } : {}),
              ...(filter?.includeInactiveStreams === undefined
                ? {}
                : { includeInactiveStreams: filter.includeInactiveStreams }),
            },
          },
          opts,
        );
        return Array.isArray(data) ? (data as StreamAttributes[]) : [];
      },
      async createIm(userIds, opts) {
        const data = await call<{ id: string }>(
          who,
          { method: 'POST', origin: 'pod', path: '/pod/v1/im/create', body: userIds },
          opts,
        );
        return { id: toUrlSafeId(data.id) };
      },
      createRoom: (attrs, opts) =>
        call<RoomDetail>(
          who,
          { method: 'POST', origin: 'pod', path: '/pod/v3/room/create', body: attrs },
          opts,
        ),
    };
  }

  return {
    appId: config.appId,
    forUser,
    async authenticateApp(opts = {}) {
      await callWithRetry(() => sessions.authenticateApp(opts.signal), {
        policy: { ...retry, ...opts.retry },
        logger,
        path: APP_AUTH_PATH,
        traceId: opts.traceId ?? newTraceId(),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
    close() {
      sessions.clear();
      transport.close();
    },
  };
}
