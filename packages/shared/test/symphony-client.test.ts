import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { testRsaKeyPair } from '@baton/testing';
import { importSPKI, jwtVerify } from 'jose';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthenticationRejectedError,
  ClientError,
  type ClosableSymphonyClient,
  createSymphonyClient,
  FeedGoneError,
  FeedLimitError,
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  MessageUpdateRefusedError,
  RateLimitedError,
  ServerError,
  type SymphonyClientConfig,
  UnauthorizedError,
} from '../src/symphony/index.ts';

// A tiny fake pod/agent/key manager on real HTTP: auth endpoints verify the JWT; API routes are per test.
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (long poll that outlives the test's abort). */
  hang?: boolean;
}
type Route = (req: Recorded) => Reply | Promise<Reply>;
/** An error answer with the `{ code, message }` body Symphony sends (`code` = the status). */
const failure = (status: number, message: string): Reply => ({ status, body: { code: status, message } });

const keys = testRsaKeyPair();
const BOT = 'baton-bot';

let server: Server;
let baseUrl: string;
const requests: Recorded[] = [];
let routes: Record<string, Route> = {};
let sessionCounter = 0;
let validSession = '';
let loginRejects = false;
let loginOutages = 0;

const apiRequests = () => requests.filter((r) => !r.path.endsWith('/pubkey/authenticate'));
const logins = () => requests.filter((r) => r.path === '/login/pubkey/authenticate');

beforeAll(async () => {
  const publicKey = await importSPKI(keys.publicKeyPem, 'RS512');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(rec);
      let reply: Reply;
      if (rec.path === '/login/pubkey/authenticate' || rec.path === '/relay/pubkey/authenticate') {
        const { token } = JSON.parse(rec.body.toString()) as { token: string };
        const ok = await jwtVerify(token, publicKey, { algorithms: ['RS512'], subject: BOT }).then(
          () => !loginRejects,
          () => false,
        );
        if (rec.path.startsWith('/login') && loginOutages > 0) {
          loginOutages--;
          reply = failure(503, 'maintenance');
        } else if (!ok) reply = failure(401, 'Invalid JWT');
        else if (rec.path.startsWith('/login')) {
          validSession = `session-${++sessionCounter}`;
          reply = { status: 200, body: { token: validSession, name: 'sessionToken' } };
        } else reply = { status: 200, body: { token: 'km-secret', name: 'keyManagerToken' } };
      } else {
        const route = routes[`${rec.method} ${rec.path}`];
        reply = route ? await route(rec) : failure(404, 'no route');
      }
      if (reply.hang) return;
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clients: ClosableSymphonyClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  requests.length = 0;
  routes = {};
  loginRejects = false;
  loginOutages = 0;
});

function makeClient(over: Partial<SymphonyClientConfig> = {}, logger = pino({ level: 'silent' })) {
  const client = createSymphonyClient(
    {
      podUrl: baseUrl,
      botUsername: BOT,
      privateKeyPem: keys.privateKeyPem,
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      ...over,
    },
    { logger },
  );
  clients.push(client);
  return client;
}

/** A route that only accepts the current session token, like a pod whose session expired. */
function authed(reply: Route): Route {
  return (req) => (req.headers.sessiontoken === validSession ? reply(req) : failure(401, 'Invalid session'));
}

describe('createSymphonyClient', () => {
  it('logs in lazily and sends sessionToken to /pod, sessionToken + keyManagerToken to /agent, X-Trace-Id always', async () => {
    routes['GET /pod/v2/sessioninfo'] = authed(() => ({ status: 200, body: { id: 42, username: BOT } }));
    routes['GET /agent/v5/datafeeds'] = authed(() => ({
      status: 200,
      body: [{ id: 'abc_f', type: 'fanout' }],
    }));
    const client = makeClient();

    expect(await client.getSessionInfo()).toMatchObject({ id: 42, username: BOT });
    expect(await client.listDatafeeds({ traceId: 'MyTrc1' })).toEqual([{ id: 'abc_f', type: 'fanout' }]);

    expect(logins()).toHaveLength(1);
    const [pod, agent] = apiRequests();
    expect(pod?.headers.sessiontoken).toBe('session-' + sessionCounter);
    expect(pod?.headers.keymanagertoken).toBeUndefined();
    expect(pod?.headers['x-trace-id']).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(agent?.headers.sessiontoken).toBe(validSession);
    expect(agent?.headers.keymanagertoken).toBe('km-secret');
    expect(agent?.headers['x-trace-id']).toBe('MyTrc1');
    for (const r of requests) expect(r.headers['x-trace-id']).toMatch(/^[A-Za-z0-9]{6}$/);
  });

  it('re-authenticates exactly once for N concurrent 401s (single-flight) and replays every call', async () => {
    routes['GET /pod/v2/sessioninfo'] = authed(() => ({ status: 200, body: { id: 1, username: BOT } }));
    const client = makeClient();
    await client.authenticate();
    expect(logins()).toHaveLength(1);
    validSession = 'expired-by-pod'; // every held token is now rejected

    const results = await Promise.all(Array.from({ length: 10 }, () => client.getSessionInfo()));
    expect(results.every((r) => r.id === 1)).toBe(true);
    expect(logins()).toHaveLength(2);
    const info = apiRequests();
    expect(info.filter((r) => r.headers.sessiontoken === 'expired-by-pod')).toHaveLength(0);
    expect(info).toHaveLength(20); // 10 rejected + 10 replayed
  });

  it('a second 401 after re-auth throws UnauthorizedError', async () => {
    routes['GET /pod/v2/sessioninfo'] = () => failure(401, 'Invalid session');
    const client = makeClient();
    const error = await client.getSessionInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).not.toBeInstanceOf(AuthenticationRejectedError);
    expect(logins()).toHaveLength(2);
    expect(apiRequests()).toHaveLength(2);
  });

  it('a 401 from the auth endpoint is fatal: AuthenticationRejectedError, no retry loop', async () => {
    loginRejects = true;
    routes['GET /pod/v2/sessioninfo'] = () => ({ status: 200, body: {} });
    const client = makeClient();
    await expect(client.getSessionInfo()).rejects.toBeInstanceOf(AuthenticationRejectedError);
    await sleep(300); // well past any retry delay (5–20 ms here)
    expect(logins()).toHaveLength(1);
    expect(requests.filter((r) => r.path === '/relay/pubkey/authenticate')).toHaveLength(1);
    expect(apiRequests()).toHaveLength(0);
  });

  it('retries a 5xx from the login endpoint within the budget; concurrent callers share each login', async () => {
    routes['GET /pod/v2/sessioninfo'] = authed(() => ({ status: 200, body: { id: 3, username: BOT } }));
    loginOutages = 2;
    const client = makeClient();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.getSessionInfo()));
    expect(results.map((r) => r.id)).toEqual([3, 3, 3, 3, 3]);
    expect(logins()).toHaveLength(3); // two 503s, then one success, shared by all five callers
    expect(apiRequests()).toHaveLength(5);
  });

  it('a wrong private key is rejected by the pod (the JWT really is verified)', async () => {
    const client = makeClient({ privateKeyPem: testRsaKeyPair('pkcs1').privateKeyPem });
    await expect(client.authenticate()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('honours Retry-After on 429: the second request arrives no earlier than it says', async () => {
    let calls = 0;
    routes['GET /pod/v2/sessioninfo'] = () =>
      ++calls === 1
        ? { ...failure(429, 'slow down'), headers: { 'Retry-After': '1' } }
        : { status: 200, body: { id: 7, username: BOT } };
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const client = makeClient({}, logger);
    expect((await client.getSessionInfo({ traceId: 'RtyAft' })).id).toBe(7);
    const [first, second] = apiRequests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    const warn = JSON.parse(lines.find((l) => l.includes('retrying'))!) as Record<string, unknown>;
    expect(warn).toMatchObject({ path: '/pod/v2/sessioninfo', status: 429, attempt: 1, traceId: 'RtyAft' });
    expect(warn.delayMs).toBeGreaterThanOrEqual(1000);
    expect(lines.join('')).not.toContain('session-');
    expect(lines.join('')).not.toContain('km-secret');
  });

  it('treats a 400 with Retry-After on a datafeed read as rate limiting, not a gone feed', async () => {
    let calls = 0;
    routes['POST /agent/v5/datafeeds/abc_f/read'] = () =>
      ++calls === 1
        ? { ...failure(400, 'Too many requests'), headers: { 'Retry-After': '0' } }
        : { status: 200, body: { events: [{ id: 'e1' }], ackId: 'ack-2' } };
    const client = makeClient();
    expect(await client.readDatafeed('abc_f', 'ack-1')).toEqual({ events: [{ id: 'e1' }], ackId: 'ack-2' });
    expect(calls).toBe(2);
  });

  it('maps a plain 400 on datafeed read and delete to FeedGoneError, and retries nothing', async () => {
    const gone = () => failure(400, 'Could not find a datafeed with the provided id');
    routes['POST /agent/v5/datafeeds/old_f/read'] = gone;
    routes['DELETE /agent/v5/datafeeds/old_f'] = gone;
    routes['GET /agent/v4/datafeed/old/read'] = gone;
    const client = makeClient();
    await expect(client.readDatafeed('old_f', '')).rejects.toBeInstanceOf(FeedGoneError);
    await expect(client.deleteDatafeed('old_f')).rejects.toBeInstanceOf(FeedGoneError);
    await expect(client.readDatafeedV1('old')).rejects.toBeInstanceOf(FeedGoneError);
    expect(apiRequests()).toHaveLength(3);
    const body = JSON.parse(apiRequests()[0]!.body.toString()) as unknown;
    expect(body).toEqual({ ackId: '' });
  });

  it('maps other 4xx to ClientError with the body code/message, 5xx to ServerError after the retry budget', async () => {
    routes['POST /pod/v3/room/create'] = () => failure(403, 'lacks entitlement');
    routes['GET /pod/v3/room/r1/info'] = () => ({ status: 503, body: 'down' });
    const client = makeClient();
    const clientError = await client.createRoom({ name: 'x' }).catch((e: unknown) => e);
    expect(clientError).toBeInstanceOf(ClientError);
    expect(clientError).toMatchObject({
      code: 'SYMPHONY_CLIENT_ERROR',
      status: 403,
      bodyCode: 403,
      path: '/pod/v3/room/create',
    });
    expect((clientError as Error).message).toContain('lacks entitlement');
    const serverError = await client
      .getRoomInfo('r1', { retry: { maxAttempts: 3 } })
      .catch((e: unknown) => e);
    expect(serverError).toBeInstanceOf(ServerError);
    expect(apiRequests().filter((r) => r.path === '/pod/v3/room/r1/info')).toHaveLength(3);
  });

  it('maps a 403 on a v5 feed read or create to FeedLimitError (too many feeds), not retried; elsewhere ClientError', async () => {
    const tooMany = () => failure(403, 'Too many feeds created: a user may only have 20 active feeds');
    routes['POST /agent/v5/datafeeds/f21_f/read'] = tooMany;
    routes['POST /agent/v5/datafeeds'] = tooMany;
    routes['GET /pod/v3/room/r1/info'] = tooMany;
    const client = makeClient();
    const refused = await client.readDatafeed('f21_f', '').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FeedLimitError);
    expect(refused).toMatchObject({ code: 'SYMPHONY_FEED_LIMIT', status: 403 });
    expect(refused).not.toBeInstanceOf(FeedGoneError);
    await expect(client.createDatafeed()).rejects.toBeInstanceOf(FeedLimitError);
    const elsewhere = await client.getRoomInfo('r1').catch((e: unknown) => e);
    expect(elsewhere).toBeInstanceOf(ClientError);
    expect(elsewhere).not.toBeInstanceOf(FeedLimitError);
    expect(apiRequests()).toHaveLength(3); // one each: none retried
  });

  it('refuses a message over 1.5 MB before the call: MessageTooLargeError, nothing sent', async () => {
    routes['POST /agent/v4/stream/s1/message/create'] = () => ({
      status: 200,
      body: { messageId: 'm1', timestamp: 1, message: '<div/>' },
    });
    const client = makeClient();
    const data = { pad: 'é'.repeat(1024) }; // counted in UTF-8 bytes
    const dataBytes = Buffer.byteLength(JSON.stringify(data));
    const at = (n: number) => `<messageML>${'x'.repeat(n - dataBytes - 23)}</messageML>`;
    expect((await client.sendMessage('s1', { message: at(MAX_MESSAGE_BYTES), data })).messageId).toBe('m1');
    const err = await client.sendMessage('s1', { message: at(MAX_MESSAGE_BYTES + 1), data }).catch((e) => e);
    expect(err).toBeInstanceOf(MessageTooLargeError);
    expect(err).toMatchObject({
      code: 'SYMPHONY_MESSAGE_TOO_LARGE',
      limitBytes: MAX_MESSAGE_BYTES,
      sizeBytes: MAX_MESSAGE_BYTES + 1,
    });
    expect((err as MessageTooLargeError).status).toBeUndefined();
    await expect(
      client.updateMessage('s1', 'm1', { message: at(MAX_MESSAGE_BYTES + 1), data }),
    ).rejects.toBeInstanceOf(MessageTooLargeError);
    expect(apiRequests().filter((r) => r.path.includes('/message/'))).toHaveLength(1);
  });

  it("maps the agent's size refusal (V2Error, the docs' string code, 413) to MessageTooLargeError; other 400s stay ClientError", async () => {
    const answers = [
      {
        status: 400,
        body: {
          code: 400,
          message: 'Limit message-content-max-total-size reached',
          details: { status: 'PAYLOAD_TOO_LARGE', code: 'LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED' },
        },
      },
      {
        status: 400,
        body: {
          message: 'Limit message-content-max-total-size reached',
          status: 'PAYLOAD_TOO_LARGE',
          code: 'LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED',
        },
      },
      { status: 413, body: 'Request Entity Too Large' },
    ];
    let next = 0;
    routes['POST /agent/v4/stream/s1/message/create'] = () => answers[next++] ?? { status: 500 };
    routes['POST /agent/v4/stream/s1/message/m1/update'] = () => answers[0] as Reply;
    const client = makeClient();
    for (const answer of answers) {
      const err = await client.sendMessage('s1', { message: '<messageML>hi</messageML>' }).catch((e) => e);
      expect([answer.status, err]).toEqual([answer.status, expect.any(MessageTooLargeError)]);
      expect(err).toMatchObject({ status: answer.status, limitBytes: MAX_MESSAGE_BYTES });
    }
    const update = await client
      .updateMessage('s1', 'm1', { message: '<messageML>hi</messageML>' })
      .catch((e: unknown) => e);
    expect(update).toBeInstanceOf(MessageTooLargeError);
    expect(update).not.toBeInstanceOf(MessageUpdateRefusedError);
    routes['POST /agent/v4/stream/s1/message/create'] = () =>
      failure(400, 'Error parsing message: invalid tag');
    const other = await client.sendMessage('s1', { message: '<messageML>hi</messageML>' }).catch((e) => e);
    expect(other).toBeInstanceOf(ClientError);
    expect(other).not.toBeInstanceOf(MessageTooLargeError);
    // Only a message call reads a size refusal so: the same body on another call is a ClientError.
    routes['POST /pod/v3/room/create'] = () => answers[0] as Reply;
    await expect(client.createRoom({ name: 'x' })).rejects.not.toBeInstanceOf(MessageTooLargeError);
  });

  it('returns [] on a 204 datafeed v1 read and a 204 message list', async () => {
    routes['GET /agent/v4/datafeed/df1/read'] = () => ({ status: 204 });
    routes['GET /agent/v4/stream/s1/message'] = () => ({ status: 204 });
    const client = makeClient();
    expect(await client.readDatafeedV1('df1')).toEqual([]);
    expect(await client.listMessages('s1', { since: 100, limit: 5 })).toEqual([]);
    const list = apiRequests().find((r) => r.path.endsWith('/message'))!;
    expect(list.query.get('since')).toBe('100');
    expect(list.query.get('limit')).toBe('5');
  });

  it('sends a message as multipart with message, data, version and one part per attachment', async () => {
    routes['POST /agent/v4/stream/IEj12WoWsfTkiqOBkATdUn___pFXhN9OdA/message/create'] = () => ({
      status: 200,
      body: { messageId: 'm1', timestamp: 1, message: '<div/>' },
    });
    const client = makeClient();
    const out = await client.sendMessage('IEj12WoWsfTkiqOBkATdUn///pFXhN9OdA==', {
      message: '<messageML>hi <mention uid="1"/></messageML>',
      data: { '0': { type: 'com.symphony.user.mention' } },
      attachments: [
        { filename: 'a.txt', content: Buffer.from('alpha'), contentType: 'text/plain' },
        { filename: 'b.bin', content: new Uint8Array([1, 2, 3]) },
      ],
    });
    expect(out.messageId).toBe('m1');
    const req = apiRequests()[0]!;
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(req.body), {
      headers: { 'content-type': req.headers['content-type']! },
    }).formData();
    expect(form.get('message')).toBe('<messageML>hi <mention uid="1"/></messageML>');
    expect(JSON.parse(form.get('data') as string)).toEqual({ '0': { type: 'com.symphony.user.mention' } });
    expect(form.get('version')).toBe('2.0');
    const files = form.getAll('attachment') as File[];
    expect(files.map((f) => f.name)).toEqual(['a.txt', 'b.bin']);
    expect(await files[0]!.text()).toBe('alpha');
    expect([...new Uint8Array(await files[1]!.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('aborts a long poll when the caller signal fires (AbortedError, no retry)', async () => {
    routes['POST /agent/v5/datafeeds/slow_f/read'] = () => ({ status: 200, hang: true });
    const client = makeClient();
    const controller = new AbortController();
    const reading = client.readDatafeed('slow_f', '', { signal: controller.signal });
    await expect.poll(() => apiRequests().length).toBe(1);
    controller.abort();
    await expect(reading).rejects.toBeInstanceOf(AbortedError);
    expect(apiRequests()).toHaveLength(1);
  });

  it('times out a hanging call with TimeoutError and retries within the budget', async () => {
    routes['GET /pod/v2/sessioninfo'] = () => ({ status: 200, hang: true });
    // The per-call timeout covers the API call only: login keeps the client's default, so a slow machine
    // (RSA signing under load) cannot turn the login itself into the timeout under test.
    const client = makeClient();
    const error = await client
      .getSessionInfo({ timeoutMs: 200, retry: { maxAttempts: 2 } })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(apiRequests()).toHaveLength(2);
  });

  it('covers the pod stream calls and user lookups with the documented paths and bodies', async () => {
    routes['POST /pod/v1/im/create'] = () => ({
      status: 200,
      body: { id: 'xhGxbTcvTDK6EIMMrwdOrX___quztr2HdA' },
    });
    routes['POST /pod/v1/room/r_1/membership/add'] = () => ({
      status: 200,
      body: { message: 'Member added' },
    });
    // POD `/v3/users`: 200 with the users, or 204 "No user found." (and some pods answer an empty list).
    routes['GET /pod/v3/users'] = (req) =>
      req.query.get('uid') === '5' || req.query.get('username') === 'alice'
        ? { status: 200, body: { users: [{ id: 5, username: 'alice' }] } }
        : req.query.get('uid') === '9'
          ? { status: 204 }
          : { status: 200, body: { users: [], errors: [] } };
    routes['POST /agent/v5/datafeeds'] = () => ({ status: 201, body: { id: 'new_f', type: 'fanout' } });
    routes['POST /agent/v5/events/read'] = () => ({ status: 200, body: { events: [], ackId: 'h2' } });
    const client = makeClient();
    expect(await client.createIm([5, 6])).toEqual({ id: 'xhGxbTcvTDK6EIMMrwdOrX___quztr2HdA' });
    await client.addMember('r/1', 5);
    expect(await client.getUser(5)).toMatchObject({ id: 5 });
    expect(await client.getUser(9)).toBeUndefined(); // 204: no such user, not an error
    expect(await client.getUser(10)).toBeUndefined(); // {users: []}
    expect(await client.getUserByUsername('alice')).toMatchObject({ id: 5 });
    expect(await client.getUserByUsername('nobody')).toBeUndefined();
    expect(await client.createDatafeed({ tag: 't' })).toEqual({ id: 'new_f', type: 'fanout' });
    expect(await client.readDatahose({ tag: 'dh', eventTypes: ['MESSAGESENT'] })).toEqual({
      events: [],
      ackId: 'h2',
    });

    const bodies = apiRequests().map((r) => [
      r.method,
      r.path,
      r.body.length ? JSON.parse(r.body.toString()) : null,
    ]);
    expect(bodies).toContainEqual(['POST', '/pod/v1/im/create', [5, 6]]);
    expect(bodies).toContainEqual(['POST', '/pod/v1/room/r_1/membership/add', { id: 5 }]);
    expect(bodies).toContainEqual(['POST', '/agent/v5/datafeeds', { tag: 't' }]);
    expect(bodies).toContainEqual([
      'POST',
      '/agent/v5/events/read',
      { type: 'datahose', tag: 'dh', eventTypes: ['MESSAGESENT'], ackId: '' },
    ]);
  });

  it('throws RateLimitedError once the retry budget is spent on 429s', async () => {
    routes['GET /pod/v2/sessioninfo'] = () => failure(429, 'no');
    const client = makeClient();
    const error = await client.getSessionInfo({ retry: { maxAttempts: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(apiRequests()).toHaveLength(2);
  });
});
