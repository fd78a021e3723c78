import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError, ClientError, MessageTooLargeError } from '@baton/shared';
import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyHandlerError } from '../src/runtime/classify-handler-error.ts';
import { isRedisUnavailableError } from '../src/runtime/is-redis-unavailable-error.ts';
import { RedisWaitAbortedError } from '../src/runtime/redis-wait-aborted-error.ts';
import { StaleDrainError } from '../src/runtime/runtime-errors.ts';
import { SendWaitAbortedError } from '../src/runtime/send-wait-aborted-error.ts';
import { StateStoreError } from '../src/runtime/state-store-error.ts';

// The errors ioredis really produces when Redis is away, against real servers: what classifyHandlerError
// must call `redis-unavailable` (not the handler's failure), and lookalikes it must not.

/** The redis-errors module ioredis itself loads (its AbortError is not re-exported by ioredis). */
const redisErrors = createRequire(createRequire(import.meta.url).resolve('ioredis'))('redis-errors') as {
  AbortError: new (message: string) => Error;
};

let primary: TestRedis;
let replica: TestRedis;

beforeAll(async () => {
  [primary, replica] = await Promise.all([
    startTestRedis({ forceSpawn: true }),
    startTestRedis({ forceSpawn: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([primary?.close(), replica?.close()]);
});

async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('Redis errors that mean "Baton\'s Redis is unavailable"', () => {
  it('a command on a closed connection: "Connection is closed."', async () => {
    const r = new Redis(primary.url, { maxRetriesPerRequest: null });
    await r.ping();
    r.disconnect();
    const err = await rejectionOf(r.get('k'));
    expect((err as Error).message).toBe('Connection is closed.');
    expect(isRedisUnavailableError(err)).toBe(true);
    expect(classifyHandlerError(err)).toBe('redis-unavailable');
  });

  it('a command flushed after the retry limit (MaxRetriesPerRequestError), Redis down', async () => {
    await replica.stop();
    const r = new Redis(replica.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    r.on('error', () => {});
    try {
      const err = await rejectionOf(r.get('k'));
      expect((err as Error).name).toBe('MaxRetriesPerRequestError');
      expect(classifyHandlerError(err)).toBe('redis-unavailable');
    } finally {
      r.disconnect();
      await replica.start();
    }
  });

  it('a write to a replica: READONLY (a demoted master)', async () => {
    const admin = new Redis(replica.url);
    const r = new Redis(replica.url, { maxRetriesPerRequest: null });
    try {
      await admin.call('REPLICAOF', '127.0.0.1', String(primary.port));
      const err = await rejectionOf(r.set('k', 'v'));
      expect(err).toBeInstanceOf(ReplyError);
      expect((err as Error).message).toMatch(/^READONLY /);
      expect(classifyHandlerError(err)).toBe('redis-unavailable');
      // A transaction refused for it (EXECABORT, the READONLY in previousErrors) too.
      const tx = await rejectionOf(r.multi().set('k', 'v').exec());
      expect((tx as Error).message).toMatch(/^EXECABORT/);
      expect(classifyHandlerError(tx)).toBe('redis-unavailable');
    } finally {
      await admin.call('REPLICAOF', 'NO', 'ONE');
      admin.disconnect();
      r.disconnect();
    }
  });

  it('the Cluster and loading reply codes, redis-errors aborts and the Cluster redirection limit', () => {
    for (const text of [
      'CLUSTERDOWN The cluster is down',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'LOADING Redis is loading the dataset in memory',
      'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no',
    ]) {
      expect(classifyHandlerError(new ReplyError(text)), text).toBe('redis-unavailable');
    }
    expect(classifyHandlerError(new redisErrors.AbortError('Command aborted due to connection close'))).toBe(
      'redis-unavailable',
    );
    const redirections = new Error(
      'Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down',
    );
    expect(classifyHandlerError(redirections)).toBe('redis-unavailable');
  });

  it('wrapped by a handler or a framework error (cause chain)', async () => {
    const r = new Redis(primary.url, { maxRetriesPerRequest: null });
    r.disconnect();
    const closed = await rejectionOf(r.get('k'));
    const wrapped = new Error('rate limiter failed', {
      cause: new BatonError('STATE_X', 'store', { cause: closed }),
    });
    expect(classifyHandlerError(wrapped)).toBe('redis-unavailable');
  });
});

describe("lookalikes that stay the handler's own failure", () => {
  it('a Redis error of the command itself (WRONGTYPE), a state-store error, a timers AbortError, a network error', async () => {
    const r = new Redis(primary.url, { maxRetriesPerRequest: null });
    try {
      await r.set('str', 'v');
      const wrongType = await rejectionOf(r.hget('str', 'f'));
      expect((wrongType as Error).message).toMatch(/^WRONGTYPE/);
      expect(classifyHandlerError(wrongType)).toBe('retry');
    } finally {
      r.disconnect();
    }
    expect(classifyHandlerError(new StateStoreError('STATE_TX_ABORTED', 'aborted'))).toBe('retry');
    const ac = new AbortController();
    ac.abort();
    const timersAbort = await rejectionOf(sleep(10, undefined, { signal: ac.signal }));
    expect((timersAbort as Error).name).toBe('AbortError');
    expect(classifyHandlerError(timersAbort)).toBe('retry');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(classifyHandlerError(refused)).toBe('retry');
    class OwnError extends Error {}
    expect(classifyHandlerError(new OwnError('Connection is closed.'))).toBe('retry');
  });
});

describe('the other classes', () => {
  it('fenced, stopping (send limiter or Redis wait cut by the shutdown, wrapped or not), invalid input', () => {
    expect(classifyHandlerError(new StaleDrainError('S'))).toBe('fenced');
    expect(classifyHandlerError(new SendWaitAbortedError('S'))).toBe('stopping');
    expect(classifyHandlerError(new Error('send failed', { cause: new SendWaitAbortedError('S') }))).toBe(
      'stopping',
    );
    expect(classifyHandlerError(new RedisWaitAbortedError('S'))).toBe('stopping');
    expect(classifyHandlerError(Object.assign(new Error('bad'), { code: 'INVALID_MARKUP' }))).toBe(
      'invalid-input',
    );
    expect(classifyHandlerError(new Error('boom'))).toBe('retry');
  });

  it('permanent: a message over the size limit, by class or by code, wrapped or not; other client errors retry', () => {
    const tooLarge = new MessageTooLargeError('too large', { limitBytes: 1, status: 400 });
    expect(classifyHandlerError(tooLarge)).toBe('permanent');
    expect(classifyHandlerError(new Error('reply failed', { cause: tooLarge }))).toBe('permanent');
    // Another copy of @baton/shared (a bot's own): its class differs, its code does not.
    expect(
      classifyHandlerError(Object.assign(new Error('too large'), { code: 'SYMPHONY_MESSAGE_TOO_LARGE' })),
    ).toBe('permanent');
    expect(classifyHandlerError(new ClientError('bad MessageML', { status: 400 }))).toBe('retry');
  });
});
