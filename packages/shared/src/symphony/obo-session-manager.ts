import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { childLogger } from '../logging/child-logger.ts';
import { ClientError, SymphonyError, UnauthorizedError } from './errors.ts';
import type { HttpTransport } from './http-transport.ts';
import { createAuthJwt, loadPrivateKey } from './jwt.ts';
import { AppAuthenticationRejectedError, OboUserRejectedError } from './obo-errors.ts';
import type { OboUser } from './obo-types.ts';
import { raceSignal } from './race-signal.ts';
import { newTraceId } from './trace-id.ts';

export const APP_AUTH_PATH = '/login/pubkey/app/authenticate';

/** Cached user sessions live at most this long by default: under the shortest session lifetime a pod allows (1 h). */
export const DEFAULT_OBO_SESSION_MAX_AGE_MS = 50 * 60_000;
/** At most this many user sessions are cached by default (least recently used dropped first). */
export const DEFAULT_OBO_MAX_SESSIONS = 1_000;
/** A session token that is a JWT is dropped this long before its `exp`. */
const EXP_MARGIN_MS = 60_000;

export interface OboSessionConfig {
  appId: string;
  appPrivateKeyPem: string;
  timeoutMs: number;
  sessionMaxAgeMs: number;
  maxSessions: number;
}

export interface OboSessionManager {
  /** The user's session token: cached while fresh, else app login (if needed) + user login, single-flight per user. */
  getUserToken(user: OboUser, signal?: AbortSignal): Promise<string>;
  /**
   * Called after a 401 made with `stale`: logs the user in again once for all concurrent callers; returns the
   * newer token without a login when `stale` was already replaced.
   */
  refreshUserToken(user: OboUser, stale: string, signal?: AbortSignal): Promise<string>;
  /** Logs the app in now (the app session is otherwise made on the first user login). */
  authenticateApp(signal?: AbortSignal): Promise<void>;
  /** Forget every token. */
  clear(): void;
  /** Number of cached user sessions (tests, metrics). */
  size(): number;
}

/** The cache key (and log label) of a user: `userId:<n>` or `username:<name>`. */
export function oboUserKey(user: OboUser): string {
  return 'userId' in user ? `userId:${user.userId}` : `username:${user.username.toLowerCase()}`;
}

function userAuthPath(user: OboUser): string {
  return 'userId' in user
    ? `/login/pubkey/app/user/${encodeURIComponent(String(user.userId))}/authenticate`
    : `/login/pubkey/app/username/${encodeURIComponent(user.username)}/authenticate`;
}

/** `exp` (ms) of a token that is a JWT, else undefined (opaque tokens are kept for the configured max age). */
function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const rejectedStatus = (error: unknown): number | undefined => {
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ClientError && error.status === 403) return 403;
  return undefined;
};

/**
 * On-behalf-of sessions of one app (BDK `OboAuthenticatorRsaImpl` + `AuthSessionOboImpl`):
 * 1. app session: `POST /login/pubkey/app/authenticate` with a fresh RS512 JWT whose `sub` is the app id (the
 *    same JWT form as a bot's: `sub` + `exp` within 5 minutes; 240 s here, as the BDKs);
 * 2. user session: `POST /login/pubkey/app/user/{userId}/authenticate` (or `…/username/{username}/…`), bodiless,
 *    header `sessionToken: <app token>`; the answer's token is the user's session token (no key manager token).
 * User sessions are cached per user for `sessionMaxAgeMs` (capped by the token's `exp` when it is a JWT), at most
 * `maxSessions` of them. A 401 on a user login made with a cached app token renews the app session and tries once
 * more; a 401/403 with a fresh app token is `OboUserRejectedError` (unknown user, or the app is not installed for
 * them). A 401/403 on the app login is `AppAuthenticationRejectedError`. Each login is one attempt: retries of
 * 5xx/network errors are the caller's retry loop's.
 */
export function createOboSessionManager(
  config: OboSessionConfig,
  deps: { transport: HttpTransport; logger: Logger; now?: () => number },
): OboSessionManager {
  const logger = childLogger(deps.logger, { component: 'symphony-obo', appId: config.appId });
  const now = deps.now ?? Date.now;
  let privateKey: KeyObject | undefined;
  let appToken: string | undefined;
  let appFlight: Promise<string> | undefined;
  const sessions = new Map<string, { token: string; expiresAt: number }>();
  const flights = new Map<string, Promise<string>>();

  async function post(
    path: string,
    what: string,
    opts: { body?: unknown; appToken?: string },
  ): Promise<string> {
    const traceId = newTraceId();
    const res = await deps.transport.send(
      {
        method: 'POST',
        origin: 'login',
        path,
        ...(opts.body === undefined ? {} : { body: opts.body }),
        ...(opts.appToken === undefined ? {} : { headers: { sessionToken: opts.appToken } }),
      },
      { traceId, timeoutMs: config.timeoutMs },
    );
    const token = (res.data as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      throw new SymphonyError(`Malformed ${what} response from ${path}`, {
        status: res.status,
        path,
        traceId,
      });
    }
    return token;
  }

  async function appLogin(): Promise<string> {
    privateKey ??= loadPrivateKey(config.appPrivateKeyPem);
    const jwt = await createAuthJwt(config.appId, privateKey);
    try {
      return await post(APP_AUTH_PATH, 'app authentication', { body: { token: jwt } });
    } catch (error) {
      const status = rejectedStatus(error);
      if (status === undefined) throw error;
      throw new AppAuthenticationRejectedError(
        `App authentication rejected by ${APP_AUTH_PATH} for app "${config.appId}" (app unknown or disabled, no RSA public key imported, or not this key?)${detailOf(error)}`,
        { status, path: APP_AUTH_PATH, ...traceOf(error) },
      );
    }
  }

  function getAppToken(): Promise<string> {
    if (appToken !== undefined) return Promise.resolve(appToken);
    if (!appFlight) {
      const flight = appLogin().then(
        (token) => {
          appToken = token;
          logger.info('app authenticated');
          return token;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'app authentication failed');
          throw error;
        },
      );
      appFlight = flight;
      const done = () => {
        if (appFlight === flight) appFlight = undefined;
      };
      flight.then(done, done);
    }
    return appFlight;
  }

  async function userLogin(user: OboUser): Promise<string> {
    const path = userAuthPath(user);
    const label = oboUserKey(user);
    const cachedApp = appToken !== undefined;
    let app = await getAppToken();
    for (let attempt = 1; ; attempt++) {
      try {
        return await post(path, 'on-behalf-of authentication', { appToken: app });
      } catch (error) {
        const status = rejectedStatus(error);
        if (status === undefined) throw error;
        if (status === 401 && cachedApp && attempt === 1) {
          // The app session may have expired: renew it once (single-flight) and ask again.
          if (appToken === app) appToken = undefined;
          logger.info({ user: label }, 'app session rejected (401): re-authenticating the app');
          app = await getAppToken();
          continue;
        }
        throw new OboUserRejectedError(
          `On-behalf-of authentication rejected by ${path} for ${label} and app "${config.appId}" (unknown user, or the app is not installed for them?)${detailOf(error)}`,
          { status, path, ...traceOf(error) },
        );
      }
    }
  }

  function remember(key: string, token: string): void {
    const exp = jwtExpiryMs(token);
    const maxAge = now() + config.sessionMaxAgeMs;
    sessions.delete(key);
    sessions.set(key, {
      token,
      expiresAt: exp === undefined ? maxAge : Math.min(maxAge, exp - EXP_MARGIN_MS),
    });
    while (sessions.size > config.maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
  }

  function cached(key: string): string | undefined {
    const entry = sessions.get(key);
    if (!entry) return undefined;
    sessions.delete(key);
    if (entry.expiresAt <= now()) return undefined;
    sessions.set(key, entry); // most recently used last
    return entry.token;
  }

  function startFlight(user: OboUser, key: string): Promise<string> {
    let flight = flights.get(key);
    if (!flight) {
      const started = now();
      const made = userLogin(user).then((token) => {
        remember(key, token);
        logger.info({ user: key, ms: now() - started }, 'on-behalf-of session opened');
        return token;
      });
      flight = made;
      flights.set(key, made);
      const done = () => {
        if (flights.get(key) === made) flights.delete(key);
      };
      made.then(done, done);
    }
    return flight;
  }

  return {
    getUserToken(user, signal) {
      const key = oboUserKey(user);
      const token = cached(key);
      if (token !== undefined) return Promise.resolve(token);
      return raceSignal(startFlight(user, key), signal);
    },
    refreshUserToken(user, stale, signal) {
      const key = oboUserKey(user);
      const current = sessions.get(key)?.token;
      if (current !== undefined && current !== stale) return Promise.resolve(current);
      if (current === stale) {
        sessions.delete(key);
        logger.info({ user: key }, 'on-behalf-of session rejected (401): re-authenticating');
      }
      return raceSignal(startFlight(user, key), signal);
    },
    async authenticateApp(signal) {
      await raceSignal(getAppToken(), signal);
    },
    clear() {
      appToken = undefined;
      sessions.clear();
    },
    size: () => sessions.size,
  };
}

function detailOf(error: unknown): string {
  const detail = error instanceof Error && /: (.+)$/.exec(error.message)?.[1];
  return detail ? `: ${detail}` : '';
}

function traceOf(error: unknown): { traceId?: string } {
  return error instanceof SymphonyError && error.traceId !== undefined ? { traceId: error.traceId } : {};
}
