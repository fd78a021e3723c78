import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { ResolvedSymphonyClientConfig } from './client-config.ts';
import { AuthenticationRejectedError, SymphonyError, UnauthorizedError } from './errors.ts';
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

/**
 * RSA session auth: `/login/pubkey/authenticate` (session token) + `/relay/pubkey/authenticate` (KM token),
 * both with a fresh JWT. A login is one attempt: a failed flight rejects all its waiters, whose own retry
 * loops decide whether to try again (joining one new flight). A 401 there is `AuthenticationRejectedError`.
 */
export function createSessionManager(
  config: ResolvedSymphonyClientConfig,
  deps: { transport: HttpTransport; logger: Logger },
): SessionManager {
  const logger = deps.logger.child({ component: 'symphony-auth' });
  let privateKey: KeyObject | undefined;
  let current: SessionTokens | undefined;
  let inflight: Promise<SessionTokens> | undefined;

  /** One attempt; retries (5xx, network, 429) are the caller's retry loop's job. */
  async function fetchToken(origin: Origin, path: string): Promise<string> {
    const traceId = newTraceId();
    privateKey ??= loadPrivateKey(config.privateKeyPem);
    let res: Awaited<ReturnType<HttpTransport['send']>>;
    try {
      const token = await createAuthJwt(config.botUsername, privateKey);
      res = await deps.transport.send(
        { method: 'POST', origin, path, body: { token } },
        { traceId, timeoutMs: config.timeoutMs },
      );
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        throw new AuthenticationRejectedError(
          `Authentication rejected by ${path} for bot "${config.botUsername}" (wrong username or key?)`,
          { status: 401, path, traceId },
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
      fetchToken('login', '/login/pubkey/authenticate'),
      fetchToken('keyManager', '/relay/pubkey/authenticate'),
    ]);
    logger.info({ botUsername: config.botUsername, ms: Date.now() - started }, 'authenticated');
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
