import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { BatonError } from '../src/errors/index.ts';
import { freePort } from '../src/net/free-port.ts';
import {
  AbortedError,
  AuthenticationRejectedError,
  ClientError,
  ConnectionError,
  FeedGoneError,
  mapHttpError,
  RateLimitedError,
  ServerError,
  SymphonyError,
  TimeoutError,
  UnauthorizedError,
} from '../src/symphony/index.ts';

const ctx = { method: 'GET', path: '/pod/v2/sessioninfo', traceId: 'Abc123' };
const res = (status: number, data?: unknown, headers: Record<string, string> = {}) => ({
  status,
  data,
  headers,
});

describe('the Symphony error classes', () => {
  it.each([
    ['SymphonyError', new SymphonyError('m'), 'SYMPHONY_ERROR'],
    ['UnauthorizedError', new UnauthorizedError('m'), 'SYMPHONY_UNAUTHORIZED'],
    ['AuthenticationRejectedError', new AuthenticationRejectedError('m'), 'SYMPHONY_AUTHENTICATION_REJECTED'],
    ['RateLimitedError', new RateLimitedError('m', { retryAfterMs: 5 }), 'SYMPHONY_RATE_LIMITED'],
    ['FeedGoneError', new FeedGoneError('m'), 'SYMPHONY_FEED_GONE'],
    ['ClientError', new ClientError('m', { status: 403, bodyCode: 403 }), 'SYMPHONY_CLIENT_ERROR'],
    ['ServerError', new ServerError('m', { status: 503 }), 'SYMPHONY_SERVER_ERROR'],
    [
      'ConnectionError',
      new ConnectionError('m', { errorCode: 'ECONNREFUSED' }),
      'SYMPHONY_CONNECTION_FAILED',
    ],
    ['TimeoutError', new TimeoutError('m', { timeoutMs: 9 }), 'SYMPHONY_TIMEOUT'],
    ['AbortedError', new AbortedError('m'), 'SYMPHONY_ABORTED'],
  ])('%s has its own code and name, and is a BatonError', (name, error, code) => {
    expect(error).toBeInstanceOf(BatonError);
    expect(error).toBeInstanceOf(SymphonyError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
  });

  it('keeps their fields beside the code', () => {
    const cause = new Error('reset');
    expect(new ConnectionError('m', { errorCode: 'ECONNRESET', path: '/p', cause })).toMatchObject({
      code: 'SYMPHONY_CONNECTION_FAILED',
      errorCode: 'ECONNRESET',
      path: '/p',
      cause,
    });
    expect(new RateLimitedError('m', { status: 429, retryAfterMs: 5 })).toMatchObject({
      status: 429,
      retryAfterMs: 5,
    });
    expect(new ClientError('m', { status: 400, bodyCode: 'X', details: 1 })).toMatchObject({
      code: 'SYMPHONY_CLIENT_ERROR',
      status: 400,
      bodyCode: 'X',
      details: 1,
    });
  });
});

describe('mapHttpError', () => {
  it.each([
    ['401', res(401, { code: 401, message: 'Invalid session' }), {}, UnauthorizedError],
    ['429', res(429, '', { 'retry-after': '3' }), {}, RateLimitedError],
    ['400 + Retry-After (agent quirk)', res(400, {}, { 'retry-after': '2' }), {}, RateLimitedError],
    [
      '400 + Retry-After on a datafeed',
      res(400, {}, { 'retry-after': '2' }),
      { datafeed: true },
      RateLimitedError,
    ],
    [
      '400 on a datafeed',
      res(400, { code: 400, message: 'Could not find a datafeed' }),
      { datafeed: true },
      FeedGoneError,
    ],
    ['400 elsewhere', res(400, { code: 400, message: 'bad MessageML' }), {}, ClientError],
    ['403', res(403, { code: 403, message: 'entitlement' }), {}, ClientError],
    ['451', res(451, { code: 451, message: 'compliance' }), {}, ClientError],
    ['500', res(500, { code: 500, message: 'boom' }), {}, ServerError],
    ['503 with a text body', res(503, 'Service Unavailable'), {}, ServerError],
  ])('%s → its class', (_name, response, extra, cls) => {
    const error = mapHttpError(response, { ...ctx, ...extra });
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(SymphonyError);
    expect(error.status).toBe(response.status);
    expect(error.traceId).toBe('Abc123');
    expect(error.path).toBe('/pod/v2/sessioninfo');
  });

  it('parses the {code, message, details} body into ClientError and Retry-After into retryAfterMs', () => {
    const client = mapHttpError(res(400, { code: 400, message: 'bad MessageML', details: { line: 1 } }), ctx);
    expect(client).toMatchObject({
      code: 'SYMPHONY_CLIENT_ERROR',
      status: 400,
      bodyCode: 400,
      details: { line: 1 },
    });
    expect(client.message).toContain('bad MessageML');
    expect(mapHttpError(res(400, '{"code":400,"message":"as text"}'), ctx).message).toContain('as text');
    expect(mapHttpError(res(429, '', { 'retry-after': '3' }), ctx)).toMatchObject({ retryAfterMs: 3000 });
    expect((mapHttpError(res(429, ''), ctx) as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('maps the transport flags: caller abort → AbortedError, own timeout → TimeoutError', () => {
    const canceled = new axios.CanceledError('canceled');
    expect(mapHttpError(canceled, { ...ctx, aborted: true })).toBeInstanceOf(AbortedError);
    expect(mapHttpError(canceled, { ...ctx, timedOut: true, timeoutMs: 5 })).toBeInstanceOf(TimeoutError);
    expect(mapHttpError(canceled, ctx)).toBeInstanceOf(AbortedError);
    expect(mapHttpError(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }), ctx)).toBeInstanceOf(
      TimeoutError,
    );
  });

  it('maps real network failures (refused, DNS) to ConnectionError without keeping the axios error', async () => {
    const port = await freePort(); // nothing listens there: the connection is refused
    const refused = await axios
      .get(`http://127.0.0.1:${port}/x`, { headers: { sessionToken: 'secret-tok' } })
      .catch((e: unknown) => e);
    const error = mapHttpError(refused, ctx);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).errorCode).toBe('ECONNREFUSED');
    expect(JSON.stringify(error)).not.toContain('secret-tok');
    expect(JSON.stringify((error as Error).cause)).not.toContain('secret-tok');

    const dns = await axios.get('http://baton-no-such-host.invalid/x').catch((e: unknown) => e);
    expect(mapHttpError(dns, ctx)).toBeInstanceOf(ConnectionError);
  });
});
