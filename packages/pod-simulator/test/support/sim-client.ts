import {
  type ClosableSymphonyClient,
  createLogger,
  createSymphonyClient,
  type Logger,
  type SymphonyClientConfig,
} from '@baton/shared';
import { createSimBotUser, type SimBotUser } from '@baton/testing';
import { importPKCS8, SignJWT } from 'jose';
import type { Simulator } from '../../src/index.ts';

/** Sign a bot JWT the way the BDKs do (RS512, `sub` = username, `exp` a few minutes ahead). */
export async function signJwt(
  privateKeyPem: string,
  sub: string,
  expInSeconds = 240,
  alg = 'RS512',
): Promise<string> {
  const key = await importPKCS8(privateKeyPem, alg);
  return new SignJWT({})
    .setProtectedHeader({ alg })
    .setSubject(sub)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expInSeconds)
    .sign(key);
}

export interface Session {
  sessionToken: string;
  keyManagerToken: string;
  headers: Record<string, string>;
}

export async function login(sim: Simulator, username: string, privateKeyPem: string): Promise<Session> {
  const jwt = await signJwt(privateKeyPem, username);
  const post = (p: string) =>
    fetch(sim.url + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: jwt }),
    });
  const s = await post('/login/pubkey/authenticate');
  const k = await post('/relay/pubkey/authenticate');
  if (s.status !== 200 || k.status !== 200) throw new Error(`login failed: ${s.status} ${k.status}`);
  const sessionToken = ((await s.json()) as { token: string }).token;
  const keyManagerToken = ((await k.json()) as { token: string }).token;
  return { sessionToken, keyManagerToken, headers: { sessionToken, keyManagerToken } };
}

/** A bot user with a key pair, logged in (`login`). */
export interface BotUser extends SimBotUser {
  session: Session;
}

export async function botUser(sim: Simulator, username: string, displayName = username): Promise<BotUser> {
  const user = createSimBotUser(sim.control, username, displayName);
  return { ...user, session: await login(sim, username, user.privateKeyPem) };
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function sendMessageML(
  sim: Simulator,
  headers: Record<string, string>,
  streamId: string,
  message: string,
  data?: unknown,
) {
  const fd = new FormData();
  fd.set('message', message);
  if (data !== undefined) fd.set('data', typeof data === 'string' ? data : JSON.stringify(data));
  fd.set('version', '2.0');
  const res = await fetch(`${sim.url}/agent/v4/stream/${streamId}/message/create`, {
    method: 'POST',
    headers,
    body: fd,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

export interface WireEvent {
  id: string;
  type: string;
  timestamp: number;
  messageId?: string;
  initiator: { user: { userId: number; username: string } };
  payload: Record<string, Record<string, unknown>>;
}

/** A logger that writes nothing, for the clients (and simulators) of these tests. */
export const quietLogger: Logger = createLogger({ level: 'silent' });

/** The client tests' short retries: three attempts unless a test says otherwise. */
export const fastRetry = { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 };

/**
 * The shared Symphony client logged in as `bot` on `sim`, with short retries and no logs (the client tests'
 * set-up), `config` on top. Close it before the simulator.
 */
export function sharedClientFor(
  sim: Simulator,
  bot: SimBotUser,
  config: Partial<SymphonyClientConfig> = {},
): ClosableSymphonyClient {
  return createSymphonyClient(
    {
      podUrl: sim.url,
      botUsername: bot.username,
      privateKeyPem: bot.privateKeyPem,
      retry: fastRetry,
      ...config,
    },
    { logger: quietLogger },
  );
}
