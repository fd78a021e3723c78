import { RateLimitedError, type WorkerKeys, workerKeys } from '@baton/shared';
import { createFakeSymphonyClient, type FakeSymphonyClient, uniquePrefix } from '@baton/shared/testing';
import { redisTest } from '@baton/shared/testing/vitest';
import type { Redis } from 'ioredis';
import { describe, expect } from 'vitest';
import { createIdempotentReplies, type ReplyOutcome } from '../src/runtime/idempotent-replies.ts';
import { ReplyInDoubtError, StaleDrainError } from '../src/runtime/runtime-errors.ts';
import type { SendLimiter } from '../src/runtime/send-limiter.ts';
import { createSendLimiter } from '../src/runtime/send-limiter.ts';

/**
 * Idempotent replies on fresh keys and a fake client, recording their outcomes; `limiter` (built from the keys
 * and the client) is the send limiter, none by default.
 */
function setup(
  redis: Redis,
  limiter?: (made: { keys: WorkerKeys; client: FakeSymphonyClient }) => SendLimiter,
) {
  const keys = workerKeys(uniquePrefix('replies'));
  const client = createFakeSymphonyClient();
  const outcomes: ReplyOutcome[] = [];
  const replies = createIdempotentReplies({
    redis,
    client,
    markKey: keys.reply,
    ttlSec: 600,
    ...(limiter ? { limiter: limiter({ keys, client }) } : {}),
    onReply: (o) => outcomes.push(o),
  });
  return { keys, client, replies, outcomes };
}

const msg = (text: string) => ({ message: `<messageML>${text}</messageML>` });

describe('idempotent replies', () => {
  redisTest(
    'maps the n-th reply of every attempt to the same mark: a retried handler never doubles a reply',
    async ({ redis }) => {
      const { client, replies, outcomes } = setup(redis);
      const first = replies.forEvent('ev-1');
      expect(await first.send('S1', msg('one'))).toBeDefined();
      // the first attempt dies here (its second reply never went out); the retry sends both replies again
      const retry = replies.forEvent('ev-1');
      expect(await retry.send('S1', msg('one'))).toBeUndefined();
      expect(await retry.send('S1', msg('two'))).toBeDefined();
      const third = replies.forEvent('ev-1');
      await third.send('S1', msg('one'));
      await third.send('S1', msg('two'));
      expect(client.sent.map((m) => m.message)).toEqual([
        '<messageML>one</messageML>',
        '<messageML>two</messageML>',
      ]);
      expect(outcomes).toEqual(['posted', 'skipped-done', 'posted', 'skipped-done', 'skipped-done']);
    },
  );

  redisTest(
    'carries the source event key and reply index in the EntityJSON data, keeping the caller data',
    async ({ redis }) => {
      const { client, replies } = setup(redis);
      await replies
        .forEvent('ev-2')
        .send('S2', { message: '<messageML>x</messageML>', data: { foo: { a: 1 } } });
      expect(client.sent[0]?.parsedData).toEqual({
        foo: { a: 1 },
        batonSource: { type: 'org.baton.source', version: '1.0', eventKey: 'ev-2', replyIndex: 0 },
      });
    },
  );

  redisTest(
    'a crash between the post and the "done" mark does not double the reply (found by reading the stream)',
    async ({ redis }) => {
      const { client, replies, outcomes } = setup(redis);
      client.failAfterPost(1);
      await expect(replies.forEvent('ev-3').send('S3', msg('hello'))).rejects.toThrow(/after the post/);
      expect(client.sent).toHaveLength(1);
      const found = await replies.forEvent('ev-3').send('S3', msg('hello'));
      expect(found?.messageId).toBe(client.sent[0]?.messageId);
      expect(client.sent).toHaveLength(1);
      expect(outcomes).toEqual(['recovered']);
      // and later attempts see the "done" mark
      await replies.forEvent('ev-3').send('S3', msg('hello'));
      expect(client.sent).toHaveLength(1);
    },
  );

  redisTest(
    'a post that failed before reaching the pod is posted by the retry (started mark, nothing in the stream)',
    async ({ redis }) => {
      const { client, replies, keys } = setup(redis);
      await redis.set(keys.reply('ev-4', 0), JSON.stringify({ state: 'started', at: Date.now() }));
      await replies.forEvent('ev-4').send('S4', msg('late'));
      expect(client.sent).toHaveLength(1);
      // another stream's message with the same key does not count
      await redis.set(keys.reply('ev-5', 0), JSON.stringify({ state: 'started', at: Date.now() }));
      await replies.forEvent('ev-5').send('S5', msg('x'));
      expect(client.sent).toHaveLength(2);
    },
  );

  redisTest('keeps failure replies apart from ordinary ones', async ({ redis }) => {
    const { client, replies } = setup(redis);
    await replies.forEvent('ev-6').send('S6', msg('normal'));
    await replies.sendOnce('S6', 'ev-6', 'failure', msg('sorry'));
    await replies.sendOnce('S6', 'ev-6', 'failure', msg('sorry'));
    expect(client.sent.map((m) => m.message)).toEqual([
      '<messageML>normal</messageML>',
      '<messageML>sorry</messageML>',
    ]);
  });
});

describe('send limiter', () => {
  redisTest('is a token bucket shared by every replica: burst, then a wait', async ({ redis }) => {
    const keyOf = (s: string) => workerKeys(uniquePrefix('rl')).sendBucket(s);
    const fixed = keyOf('S');
    const a = createSendLimiter(redis, { ratePerSec: 2, burst: 2, keyOf: () => fixed });
    const b = createSendLimiter(redis, { ratePerSec: 2, burst: 2, keyOf: () => fixed });
    expect(await a.tryAcquire('S')).toBe(0);
    expect(await b.tryAcquire('S')).toBe(0);
    const wait = await a.tryAcquire('S');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500);
    // another stream has its own bucket
    const other = createSendLimiter(redis, { ratePerSec: 2, burst: 2, keyOf });
    expect(await other.tryAcquire('T')).toBe(0);
  });

  redisTest('acquire() waits for the next token and reports the throttling', async ({ redis }) => {
    const prefix = uniquePrefix('rl');
    const throttled: number[] = [];
    const limiter = createSendLimiter(redis, {
      ratePerSec: 10,
      burst: 1,
      keyOf: (s) => workerKeys(prefix).sendBucket(s),
      onThrottled: (_s, ms) => throttled.push(ms),
    });
    await limiter.acquire('S');
    await limiter.acquire('S');
    expect(throttled.length).toBeGreaterThan(0);
  });

  redisTest('backOff (a 429 Retry-After) blocks the stream for every replica', async ({ redis }) => {
    const prefix = uniquePrefix('rl');
    const limiter = createSendLimiter(redis, {
      ratePerSec: 100,
      burst: 10,
      keyOf: (s) => workerKeys(prefix).sendBucket(s),
    });
    await limiter.backOff('S', 2_000);
    const wait = await limiter.tryAcquire('S');
    expect(wait).toBeGreaterThan(1_000);
    expect(await limiter.tryAcquire('T')).toBe(0);
  });
});

describe('replies from a drain that lost its stream', () => {
  /** A limiter whose wait runs `during` first: the window in which a frozen drain is overtaken. */
  const limiterRunning = (during: () => Promise<unknown>): SendLimiter =>
    ({ acquire: async () => void (await during()), backOff: async () => {} }) as unknown as SendLimiter;

  redisTest('posts nothing once the ownership guard says the stream was taken over', async ({ redis }) => {
    const { client, replies, keys } = setup(redis);
    const sender = replies.forEvent('ev-g', async () => false);
    await expect(sender.send('SG', msg('late'))).rejects.toBeInstanceOf(StaleDrainError);
    expect(client.sent).toHaveLength(0);
    expect(await redis.get(keys.reply('ev-g', 0))).toBeNull();
  });

  redisTest('never overwrites a reply another owner finished while this sender waited', async ({ redis }) => {
    const {
      client,
      replies: deposed,
      outcomes,
      keys,
    } = setup(redis, ({ keys, client }) => {
      const owner = createIdempotentReplies({ redis, client, markKey: keys.reply, ttlSec: 600 });
      return limiterRunning(() => owner.forEvent('ev-d').send('SD', msg('answer')));
    });
    expect(await deposed.forEvent('ev-d').send('SD', msg('answer'))).toBeUndefined();
    expect(client.sent).toHaveLength(1);
    expect(outcomes).toEqual(['skipped-done']);
    expect(await redis.get(keys.reply('ev-d', 0))).toContain('"state":"done"');
  });

  redisTest(
    'does not post when another sender started the same reply meanwhile and its message is not visible yet',
    async ({ redis }) => {
      const other = JSON.stringify({ state: 'started', at: Date.now() });
      const { client, replies } = setup(redis, ({ keys }) =>
        limiterRunning(() => redis.set(keys.reply('ev-s', 0), other)),
      );
      await expect(replies.forEvent('ev-s').send('SS', msg('x'))).rejects.toBeInstanceOf(ReplyInDoubtError);
      expect(client.sent).toHaveLength(0);
    },
  );

  redisTest(
    'does not post after a 429 wait once the stream was taken over meanwhile (the new owner answers)',
    async ({ redis }) => {
      const { client, replies } = setup(redis);
      const send = client.sendMessage.bind(client);
      let calls = 0;
      client.sendMessage = async (streamId, m, opts) => {
        if (++calls === 1) throw new RateLimitedError('429', { status: 429, retryAfterMs: 20 });
        return send(streamId, m, opts);
      };
      let owner = true;
      const sender = replies.forEvent('ev-429', async () => {
        const was = owner;
        owner = false; // deposed during the Retry-After wait
        return was;
      });
      await expect(sender.send('S429', msg('x'))).rejects.toBeInstanceOf(StaleDrainError);
      expect(calls).toBe(1);
      expect(client.sent).toHaveLength(0);
    },
  );

  redisTest(
    'never lets the client re-send a post on its own (an ambiguous failure is resolved by the next attempt)',
    async ({ redis }) => {
      const { client, replies } = setup(redis);
      const seen: unknown[] = [];
      const send = client.sendMessage.bind(client);
      client.sendMessage = async (streamId, m, opts) => {
        seen.push(opts?.retry?.maxAttempts);
        return send(streamId, m, opts);
      };
      await replies.forEvent('ev-r').send('SR', msg('once'));
      expect(seen).toEqual([1]);
    },
  );
});

describe('a fresh reply (first attempt of an event no other drainer had): no mark read first', () => {
  const freshSetup = (redis: Redis, ratePerSec = 1000, burst = 1000) =>
    setup(redis, ({ keys }) => createSendLimiter(redis, { ratePerSec, burst, keyOf: keys.sendBucket }));
  const owned = async () => true;

  redisTest(
    'posts once and marks done; a done mark met by the started script posts nothing',
    async ({ redis }) => {
      const { client, replies, outcomes, keys } = freshSetup(redis);
      await replies.forEvent('ev-f1', owned, { fresh: true }).send('SF', msg('one'));
      expect(await redis.get(keys.reply('ev-f1', 0))).toContain('"state":"done"');
      // Wrongly called fresh on an event whose reply is done: the started script's answer skips it.
      expect(await replies.forEvent('ev-f1', owned, { fresh: true }).send('SF', msg('one'))).toBeUndefined();
      expect(client.sent).toHaveLength(1);
      expect(outcomes).toEqual(['posted', 'skipped-done']);
    },
  );

  redisTest(
    'a started mark met by the started script: found in the stream, recovered; absent, in doubt until a retry reads the mark',
    async ({ redis }) => {
      const { client, replies, outcomes, keys } = freshSetup(redis);
      client.failAfterPost(1);
      await expect(replies.forEvent('ev-f2', owned).send('SF2', msg('hi'))).rejects.toThrow(/after the post/);
      const found = await replies.forEvent('ev-f2', owned, { fresh: true }).send('SF2', msg('hi'));
      expect(found?.messageId).toBe(client.sent[0]?.messageId);
      expect(client.sent).toHaveLength(1);
      expect(outcomes).toEqual(['recovered']);
      // Nothing in the stream: a fresh sender does not post over a started mark it did not read first…
      await redis.set(keys.reply('ev-f3', 0), JSON.stringify({ state: 'started', at: Date.now() }));
      await expect(
        replies.forEvent('ev-f3', owned, { fresh: true }).send('SF3', msg('x')),
      ).rejects.toBeInstanceOf(ReplyInDoubtError);
      expect(client.sent).toHaveLength(1);
      // …the retry (not fresh) reads the mark, reads the stream, and posts.
      await replies.forEvent('ev-f3', owned).send('SF3', msg('x'));
      expect(client.sent).toHaveLength(2);
    },
  );

  redisTest('checks ownership with the token, and again after a limiter wait', async ({ redis }) => {
    const { client, replies, keys } = freshSetup(redis, 20, 1);
    let checks = 0;
    const countOwned = async () => {
      checks++;
      return true;
    };
    await replies.forEvent('ev-f4', countOwned, { fresh: true }).send('SF4', msg('a'));
    expect(checks).toBe(1);
    // The bucket is empty now: the second send waits (~50 ms), then checks again before posting.
    let deposed = false;
    const lost = async () => {
      checks++;
      const was = !deposed;
      deposed = true;
      return was;
    };
    await expect(
      replies.forEvent('ev-f5', lost, { fresh: true }).send('SF4', msg('b')),
    ).rejects.toBeInstanceOf(StaleDrainError);
    expect(checks).toBe(3);
    expect(client.sent).toHaveLength(1);
    expect(await redis.get(keys.reply('ev-f5', 0))).toBeNull();
  });
});
