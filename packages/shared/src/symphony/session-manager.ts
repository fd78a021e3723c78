import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { childLogger } from '../logging/child-logger.ts';
import type { ResolvedSymphonyClientConfig } from './client-config.ts';
import { AuthenticationRejectedError, ClientError, SymphonyError, UnauthorizedError } from './errors.ts';
import type { HttpTransport, Origin } from './http-transport.ts';
import { createAuthJwt, loadPrivateKey } from './jwt.ts';
import { raceSignal } from './race-signal.ts';
import { newTraceId } from './trace-id.ts';

/** The tokens held in memory after a login. Never logged. */
export interface SessionTokens {
  sessionToken: string;
  keyManagerToken: string;
}

export interface SessionManager {
  /** The current tokens, logging in first if there are none (single-flight). */
  getTokens(signal?: AbortSignal): Promise<SessionTokens>;
  /**
   * Called after a 401 made with `stale`: re-authenticates once for all concurrent callers (single-flight);
   * if the tokens were already replaced since `stale`, returns the new ones without logging in again.
   */
  refresh(stale: SessionTokens, signal?: AbortSignal): Promise<SessionTokens>;
  /** Forget the tokens. */
  clear(): void;
}

/** The two token calls of one login, per authentication kind. */
const AUTH_CALLS = {
  rsa: {
    session: { origin: 'login', path: '/login/pubkey/authenticate' },
    keyManager: { origin: 'keyManager', path: '/relay/pubkey/authenticate' },
  },
  certificate: {
    session: { origin: 'sessionAuth', path: '/sessionauth/v1/authenticate' },
    keyManager: { origin: 'keyAuth', path: '/keyauth/v1/authenticate' },
  },
} as const satisfies Record<string, Record<string, { origin: Origin; path: string }>>;

/** The path of the session-token call of this config's authentication (for logs). */
export function sessionAuthPath(config: ResolvedSymphonyClientConfig): string {
  return AUTH_CALLS[config.auth.kind].session.path;
}

/**
 * Session auth, one of:
 * - RSA: `/login/pubkey/authenticate` (session token) + `/relay/pubkey/authenticate` (KM token), both with a
 *   fresh JWT;
 * - certificate: `/sessionauth/v1/authenticate` + `/keyauth/v1/authenticate`, bodiless, over mutual TLS with
 *   the bot's client certificate.
 * A login is one attempt: a failed flight rejects all its waiters, whose own retry loops decide whether to try
 * again (joining one new flight). A 401 there (or, for certificates, the documented 400/403) is
 * `AuthenticationRejectedError`.
 */
export function createSessionManager(
  config: ResolvedSymphonyClientConfig,
  deps: { transport: HttpTransport; logger: Logger },
): SessionManager {
  const logger = childLogger(deps.logger, { component: 'symphony-auth' });
  let privateKey: KeyObject | undefined;
  let current: SessionTokens | undefined;
  let inflight: Promise<SessionTokens> | undefined;

  const auth = config.auth;
  const calls = AUTH_CALLS[auth.kind];

  /** The request body: a fresh JWT for RSA, none for a certificate (the TLS layer carries it). */
  async function body(): Promise<{ token: string } | undefined> {
    if (auth.kind !== 'rsa') return undefined;
    privateKey ??= loadPrivateKey(auth.privateKeyPem);
    return { token: await createAuthJwt(config.botUsername, privateKey) };
  }

  function rejected(error: unknown): boolean {
    if (error instanceof UnauthorizedError) return true;
    // The authenticator API documents 400 (client error) and 403 (not allowed for this user) for a bad certificate.
    return auth.kind === 'certificate' && error instanceof ClientError && [400, 403].includes(error.status);
  }

  /** One attempt; retries (5xx, network, 429) are the caller's retry loop's job. */
  async function fetchToken(origin: Origin, path: string): Promise<string> {
    const traceId = newTraceId();
    let res: Awaited<ReturnType<HttpTransport['send']>>;
    try {
      const payload = await body();
      res = await deps.transport.send(
        { method: 'POST', origin, path, ...(payload ? { body: payload } : {}) },
        { traceId, timeoutMs: config.timeoutMs },
      );
    } catch (error) {
      if (rejected(error)) {
        const status = (error as SymphonyError).status ?? 401;
        const hint =
          auth.kind === 'rsa'
            ? 'wrong username or key?'
            : 'certificate missing, not signed by a CA the pod trusts, or its CN is not the bot username?';
        const detail = error instanceof Error && /: (.+)$/.exec(error.message)?.[1];
        throw new AuthenticationRejectedError(
          `Authentication rejected by ${path} for bot "${config.botUsername}" (${hint})${detail ? `: ${detail}` : ''}`,
          { status, path, traceId },
        );
      }
      throw error;
    }
    const token = (res.data as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      throw new SymphonyError(`Malformed authentication response from ${path}`, {
        status: res.status,
        path,
        traceId,
      });
    }
    return token;
  }

  async function login(): Promise<SessionTokens> {
    const started = Date.now();
    const [sessionToken, keyManagerToken] = await Promise.all([
      fetchToken(calls.session.origin, calls.session.path),
      fetchToken(calls.keyManager.origin, calls.keyManager.path),
    ]);
    logger.info(
      { botUsername: config.botUsername, auth: auth.kind, ms: Date.now() - started },
      'authenticated',
    );
    return { sessionToken, keyManagerToken };
  }

  function startFlight(): Promise<SessionTokens> {
    if (!inflight) {
      const flight = login().then(
        (tokens) => {
          current = tokens;
          return tokens;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'authentication failed');
          throw error;
        },
      );
      inflight = flight;
      flight.then(
        () => {
          if (inflight === flight) inflight = undefined;
        },
        () => {
          if (inflight === flight) inflight = undefined;
        },
      );
    }
    return inflight;
  }

  return {
    getTokens(signal) {
      if (current) return Promise.resolve(current);
      return raceSignal(startFlight(), signal);
    },
    refresh(stale, signal) {
      if (current && current !== stale) return Promise.resolve(current);
      if (current === stale) {
        current = undefined;
        logger.info('session rejected (401): re-authenticating');
      }
      return raceSignal(startFlight(), signal);
    },
    clear() {
      current = undefined;
    },
  };
}
