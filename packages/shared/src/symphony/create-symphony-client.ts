import type { Logger } from 'pino';
import { toUrlSafeId } from '../ids/normalize-id.ts';
import { childLogger } from '../logging/child-logger.ts';
import { inClientSpan } from '../tracing/in-span.ts';
import { activeTraceId } from '../tracing/trace-carrier.ts';
import { type AgentLane, createAgentNodeSelector } from './agent-node-selector.ts';
import { base64LengthFor, decodeAttachmentBody } from './attachment-body.ts';
import { checkAttachments, DEFAULT_MAX_DOWNLOAD_BYTES } from './attachment-limits.ts';
import { callWithRetry, type RetryLoopOptions } from './call-with-retry.ts';
import { resolveClientConfig, type SymphonyClientConfig } from './client-config.ts';
import {
  AttachmentTooLargeError,
  ClientError,
  MessageUpdateRefusedError,
  ResponseTooLargeError,
  UnauthorizedError,
} from './errors.ts';
import { createHttpTransport, type HttpRequest, type HttpTransport } from './http-transport.ts';
import { buildMessageForm } from './message-form.ts';
import { checkMessageSize } from './message-limits.ts';
import { createSessionManager, type SessionTokens, sessionAuthPath } from './session-manager.ts';
import { newTraceId } from './trace-id.ts';
import type {
  CallOptions,
  RoomDetail,
  SessionInfo,
  SymphonyClient,
  UserInfo,
  V4MessageOut,
  V5Datafeed,
  V5ReadResult,
} from './types.ts';

/** The client plus `close()`, which releases its keep-alive sockets. */
export interface ClosableSymphonyClient extends SymphonyClient {
  close(): void;
}

type Auth = 'session' | 'sessionAndKeyManager';

interface CallSpec extends HttpRequest {
  auth: Auth;
  /** Use the datafeed long-poll timeout by default. */
  longPoll?: boolean;
  /** A datafeed / datahose call: always sticky to one agent node (agent load balancing). */
  feed?: boolean;
}

/**
 * The implementation of `SymphonyClient` (HTTP on undici, http-transport.ts) (see types.ts for the contract): lazy RSA or certificate auth with
 * single-flight re-auth on 401, bounded jittered retries, coded errors, `X-Trace-Id` on every call.
 */
export function createSymphonyClient(
  config: SymphonyClientConfig,
  deps: { logger: Logger },
): ClosableSymphonyClient {
  const resolved = resolveClientConfig(config);
  const logger = childLogger(deps.logger, { component: 'symphony-client' });
  for (const notice of resolved.notices) logger.warn({ notice }, 'symphony configuration notice');
  const transport = createHttpTransport(resolved, { logger });
  const session = createSessionManager(resolved, { transport, logger });
  // Agent load balancing, above the transport: one transport per agent node (its own keep-alive sockets), the
  // selector picks the node of each call. One plain agent URL keeps the single transport and no selection.
  const lb = resolved.agentLoadBalancing;
  const balanced = lb.nodes.length > 1 || lb.mode === 'external';
  const agentTransports = new Map<string, HttpTransport>(
    lb.nodes.map((url) => [
      url,
      url === resolved.agentUrl ? transport : createHttpTransport({ ...resolved, agentUrl: url }, { logger }),
    ]),
  );
  const selector = createAgentNodeSelector(lb, {
    onEvent: (e) =>
      e.kind === 'down'
        ? logger.warn({ node: e.node, reason: e.reason, forMs: e.forMs }, 'agent node marked down')
        : logger.warn({ lane: e.lane, from: e.from, to: e.to }, 'agent calls moved to another node'),
  });

  function authHeaders(auth: Auth, tokens: SessionTokens): Record<string, string> {
    return auth === 'session'
      ? { sessionToken: tokens.sessionToken }
      : { sessionToken: tokens.sessionToken, keyManagerToken: tokens.keyManagerToken };
  }

  /** The retry loop's options for one call: the client's policy overridden by the call's. */
  function retryOptions(path: string, traceId: string, opts: CallOptions): RetryLoopOptions {
    return {
      policy: { ...resolved.retry, ...opts.retry },
      logger,
      path,
      traceId,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
  }

  /**
   * One REST call, retried, in a client span when tracing is on: its `X-Trace-Id` is then the trace's id, so a
   * Symphony support ticket and the trace name the same call (off: a fresh 6-character id, as before).
   */
  function call<T>(spec: CallSpec, opts: CallOptions = {}): Promise<{ status: number; data: T }> {
    return inClientSpan(`symphony ${spec.method} ${spec.origin}`, { 'http.route': spec.path }, () =>
      callUntraced<T>(spec, opts),
    );
  }

  async function callUntraced<T>(
    spec: CallSpec,
    opts: CallOptions = {},
  ): Promise<{ status: number; data: T }> {
    const traceId = opts.traceId ?? activeTraceId() ?? newTraceId();
    const timeoutMs = opts.timeoutMs ?? (spec.longPoll ? resolved.datafeedTimeoutMs : resolved.timeoutMs);
    const signal = opts.signal;
    let reauthenticated = false;
    const attemptOpts = { traceId, timeoutMs, ...(signal ? { signal } : {}) };
    /** One attempt on one transport (one agent node), re-authenticating once on a 401. */
    const attemptOn = async (target: HttpTransport, sent: { error?: unknown }) => {
      const send = async (tokens: SessionTokens) => {
        try {
          return await target.send({ ...spec, headers: authHeaders(spec.auth, tokens) }, attemptOpts);
        } catch (error) {
          sent.error = error; // the node's failure, told apart from an authentication call's
          throw error;
        }
      };
      const tokens = await session.getTokens(signal);
      try {
        return await send(tokens);
      } catch (error) {
        if (!(error instanceof UnauthorizedError) || reauthenticated) throw error;
        reauthenticated = true;
        const fresh = await session.refresh(tokens, signal);
        // A second 401 propagates as UnauthorizedError (not retried).
        return await send(fresh);
      }
    };
    const res = await callWithRetry(
      () =>
        spec.origin === 'agent' && balanced
          ? onAgentNodes(spec, signal, attemptOn)
          : attemptOn(transport, {}),
      retryOptions(spec.path, traceId, opts),
    );
    return res as { status: number; data: T };
  }

  /**
   * One attempt of an agent call across the nodes: on the node the selector picks, then, when that node fails
   * (`nodeVerdict`: no connection, timeout, 502/503/504, a storm of 5xx), at once on the next one, each node
   * once; what is left goes to the retry policy. `external`: the same URL once more (the load balancer routes
   * the new request to a live agent).
   */
  async function onAgentNodes<R>(
    spec: CallSpec,
    signal: AbortSignal | undefined,
    attemptOn: (target: HttpTransport, sent: { error?: unknown }) => Promise<R>,
  ): Promise<R> {
    const lane: AgentLane = spec.feed ? 'feed' : 'call';
    const tries = new Map<string, number>();
    let node = selector.pick(lane);
    for (;;) {
      tries.set(node, (tries.get(node) ?? 0) + 1);
      const sent: { error?: unknown } = {};
      try {
        const out = await attemptOn(agentTransports.get(node) ?? transport, sent);
        selector.succeeded(node);
        return out;
      } catch (error) {
        if (sent.error !== error || signal?.aborted) throw error;
        const next = selector.failed(lane, node, error, tries);
        if (next === undefined) throw error;
        logger.warn(
          {
            path: spec.path,
            lane,
            from: node,
            to: next,
            error: error instanceof Error ? error.name : 'unknown',
          },
          'agent node failed, trying the next one',
        );
        node = next;
      }
    }
  }

  const streamPath = (streamId: string): string => encodeURIComponent(toUrlSafeId(streamId));
  const arrayOrEmpty = <T>(data: unknown): T[] => (Array.isArray(data) ? (data as T[]) : []);

  async function findUsers(query: Record<string, string>, opts?: CallOptions): Promise<UserInfo[]> {
    const { data } = await call<{ users?: UserInfo[] } | ''>(
      { method: 'GET', origin: 'pod', path: '/pod/v3/users', query, auth: 'session' },
      opts,
    );
    return typeof data === 'object' && data !== null && Array.isArray(data.users) ? data.users : [];
  }

  return {
    async authenticate(opts = {}) {
      const traceId = opts.traceId ?? newTraceId();
      await callWithRetry(
        () => session.getTokens(opts.signal),
        retryOptions(sessionAuthPath(resolved), traceId, opts),
      );
    },
    logout() {
      session.clear();
    },
    close() {
      session.clear();
      for (const t of new Set([transport, ...agentTransports.values()])) t.close();
    },

    async getSessionInfo(opts) {
      const { data } = await call<SessionInfo>(
        { method: 'GET', origin: 'pod', path: '/pod/v2/sessioninfo', auth: 'session' },
        opts,
      );
      return data;
    },
    async getUser(userId, opts) {
      const [user] = await findUsers({ uid: String(userId) }, opts);
      return user;
    },
    async getUserByUsername(username, opts) {
      const [user] = await findUsers({ username, local: 'true' }, opts);
      return user;
    },

    async createDatafeedV1(opts) {
      const { data } = await call<{ id: string }>(
        {
          method: 'POST',
          origin: 'agent',
          path: '/agent/v4/datafeed/create',
          auth: 'sessionAndKeyManager',
          feed: true,
        },
        opts,
      );
      return data;
    },
    async readDatafeedV1(feedId, opts) {
      const { status, data } = await call<unknown>(
        {
          method: 'GET',
          origin: 'agent',
          path: `/agent/v4/datafeed/${encodeURIComponent(feedId)}/read`,
          auth: 'sessionAndKeyManager',
          datafeed: true,
          feed: true,
          longPoll: true,
        },
        opts,
      );
      return status === 204 ? [] : arrayOrEmpty(data);
    },

    async listDatafeeds(opts) {
      const { data } = await call<unknown>(
        {
          method: 'GET',
          origin: 'agent',
          path: '/agent/v5/datafeeds',
          auth: 'sessionAndKeyManager',
          feed: true,
        },
        opts,
      );
      return arrayOrEmpty<V5Datafeed>(data);
    },
    async createDatafeed(body, opts) {
      const { data } = await call<V5Datafeed>(
        {
          method: 'POST',
          origin: 'agent',
          path: '/agent/v5/datafeeds',
          body: body ?? {},
          auth: 'sessionAndKeyManager',
          feedLimit: true,
          feed: true,
        },
        opts,
      );
      return data;
    },
    async readDatafeed(feedId, ackId, opts) {
      const { data } = await call<Partial<V5ReadResult> | ''>(
        {
          method: 'POST',
          origin: 'agent',
          path: `/agent/v5/datafeeds/${encodeURIComponent(feedId)}/read`,
          body: { ackId },
          auth: 'sessionAndKeyManager',
          datafeed: true,
          feedLimit: true,
          feed: true,
          longPoll: true,
        },
        opts,
      );
      return readResult(data, ackId);
    },
    async deleteDatafeed(feedId, opts) {
      await call(
        {
          method: 'DELETE',
          origin: 'agent',
          path: `/agent/v5/datafeeds/${encodeURIComponent(feedId)}`,
          auth: 'sessionAndKeyManager',
          datafeed: true,
          feed: true,
        },
        opts,
      );
    },

    async readDatahose(req, opts) {
      const { data } = await call<Partial<V5ReadResult> | ''>(
        {
          method: 'POST',
          origin: 'agent',
          path: '/agent/v5/events/read',
          body: {
            type: 'datahose',
            tag: req.tag,
            eventTypes: req.eventTypes,
            ackId: req.ackId ?? '',
            ...(req.scopes ? { scopes: req.scopes } : {}),
          },
          auth: 'sessionAndKeyManager',
          longPoll: true,
          feed: true,
        },
        opts,
      );
      return readResult(data, req.ackId ?? '');
    },

    async sendMessage(streamId, msg, opts) {
      checkMessageSize(msg.message, msg.data);
      if (msg.attachments?.length) checkAttachments(msg.attachments);
      const { data } = await call<V4MessageOut>(
        {
          method: 'POST',
          origin: 'agent',
          path: `/agent/v4/stream/${streamPath(streamId)}/message/create`,
          body: buildMessageForm(msg),
          auth: 'sessionAndKeyManager',
          messageSend: true,
        },
        opts,
      );
      return data;
    },
    async updateMessage(streamId, messageId, msg, opts) {
      checkMessageSize(msg.message, msg.data);
      if (msg.attachments?.length) checkAttachments(msg.attachments);
      const path = `/agent/v4/stream/${streamPath(streamId)}/message/${streamPath(messageId)}/update`;
      try {
        const { data } = await call<V4MessageOut>(
          {
            method: 'POST',
            origin: 'agent',
            path,
            body: buildMessageForm(msg),
            auth: 'sessionAndKeyManager',
            messageSend: true,
          },
          opts,
        );
        return data;
      } catch (error) {
        throw refusedUpdate(error);
      }
    },
    async listMessages(streamId, query, opts) {
      const { status, data } = await call<unknown>(
        {
          method: 'GET',
          origin: 'agent',
          path: `/agent/v4/stream/${streamPath(streamId)}/message`,
          query: { since: query.since, until: query.until, skip: query.skip, limit: query.limit },
          auth: 'sessionAndKeyManager',
        },
        opts,
      );
      return status === 204 ? [] : arrayOrEmpty<V4MessageOut>(data);
    },
    async createIm(userIds, opts) {
      const { data } = await call<{ id: string }>(
        { method: 'POST', origin: 'pod', path: '/pod/v1/im/create', body: userIds, auth: 'session' },
        opts,
      );
      return { id: toUrlSafeId(data.id) };
    },
    async createRoom(attrs, opts) {
      const { data } = await call<RoomDetail>(
        { method: 'POST', origin: 'pod', path: '/pod/v3/room/create', body: attrs, auth: 'session' },
        opts,
      );
      return data;
    },
    async getRoomInfo(streamId, opts) {
      const { data } = await call<RoomDetail>(
        { method: 'GET', origin: 'pod', path: `/pod/v3/room/${streamPath(streamId)}/info`, auth: 'session' },
        opts,
      );
      return data;
    },
    async downloadAttachment(ref, opts = {}) {
      const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
      const path = `/agent/v1/stream/${streamPath(ref.streamId)}/attachment`;
      const traceId = opts.traceId ?? newTraceId();
      try {
        const { data } = await call<unknown>(
          {
            method: 'GET',
            origin: 'agent',
            path,
            query: { fileId: ref.attachmentId, messageId: ref.messageId },
            auth: 'sessionAndKeyManager',
            responseType: 'text',
            maxResponseBytes: base64LengthFor(maxBytes),
          },
          { ...opts, traceId },
        );
        return decodeAttachmentBody(data, maxBytes, { path, traceId });
      } catch (error) {
        if (!(error instanceof ResponseTooLargeError)) throw error;
        throw new AttachmentTooLargeError(`Attachment ${ref.attachmentId} is larger than ${maxBytes} bytes`, {
          path,
          traceId,
          maxBytes,
          cause: error,
        });
      }
    },
    async addMember(streamId, userId, opts) {
      await call(
        {
          method: 'POST',
          origin: 'pod',
          path: `/pod/v1/room/${streamPath(streamId)}/membership/add`,
          body: { id: userId },
          auth: 'session',
        },
        opts,
      );
    },
  };
}

/**
 * A 400/403/404 on an update is Symphony refusing that update: `MessageUpdateRefusedError`, same details. A size
 * refusal stays `MessageTooLargeError` (it is not a `ClientError`).
 */
function refusedUpdate(error: unknown): unknown {
  if (!(error instanceof ClientError) || ![400, 403, 404].includes(error.status)) return error;
  return new MessageUpdateRefusedError(error.message, {
    status: error.status,
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.traceId === undefined ? {} : { traceId: error.traceId }),
    ...(error.bodyCode === undefined ? {} : { bodyCode: error.bodyCode }),
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

function readResult(data: Partial<V5ReadResult> | '' | undefined, previousAckId: string): V5ReadResult {
  if (typeof data !== 'object' || data === null) return { events: [], ackId: previousAckId };
  return {
    events: Array.isArray(data.events) ? data.events : [],
    ackId: typeof data.ackId === 'string' ? data.ackId : previousAckId,
  };
}
