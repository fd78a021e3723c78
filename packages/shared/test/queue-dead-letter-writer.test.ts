import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BatonError, redactSecrets } from '../src/errors/index.ts';
import {
  boundJson,
  createDeadLetters,
  type DeadLetterEntry,
  DeadLetterSchema,
  type DeadLetters,
  deadLetterError,
  jsonSha256,
  NotReplayableError,
  RAW_EXCERPT_LIMITS,
  WHOLE_RAW_LIMITS,
  writeDeadLetters,
} from '../src/queue/index.ts';
import { uniquePrefix } from '../src/testing/index.ts';
import { redisTest } from '../src/testing/vitest/index.ts';

let dlq: DeadLetters;

redisTest.beforeAll(async ({ redis }) => {
  dlq = createDeadLetters({ connection: redis, prefix: uniquePrefix('dlw') });
});

afterAll(async () => {
  await dlq?.close();
});

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: [v] };
  return v;
}

/** Writes `raw` as a dead letter, reads it back through a fresh Redis read, returns the validated v2 entry. */
async function roundTrip(raw: unknown): Promise<Extract<DeadLetterEntry['data'], { v: 2 }>> {
  const id = await dlq.add({ stage: 'ingest', reason: 'hostile input', raw });
  const entry = await dlq.show(id);
  expect(entry, 'entry readable').toBeDefined();
  expect(entry?.invalid).toBeUndefined();
  const data = DeadLetterSchema.parse(entry?.data);
  if (data.v !== 2) throw new Error('expected a v2 entry');
  return data;
}

describe('the bounded dead-letter writer', () => {
  it('stores a 10,000-deep value (JSON.stringify throws on it) as a truncated excerpt with the hash of its JSON', async () => {
    const raw = nested(10_000);
    expect(() => JSON.stringify(raw)).toThrow(RangeError);
    const data = await roundTrip(raw);
    expect(data.rawTruncated).toBe(true);
    // The hash is of the JSON text: build it the slow, obvious way (no recursion) to compare.
    const text = `${'{"a":['.repeat(10_000)}"bottom"${']}'.repeat(10_000)}`;
    expect(data.rawSha256).toBe(sha(text));
    expect(data.rawChars).toBe(text.length);
    expect(JSON.stringify(data.raw)).toContain(`nested deeper than ${RAW_EXCERPT_LIMITS.maxDepth} levels`);
  });

  it('stores a 20 MB string as a bounded excerpt; the hash is of its bytes', async () => {
    const raw = `${'x'.repeat(20 * 1024 * 1024 - 3)}end`;
    const data = await roundTrip(raw);
    expect(data.rawTruncated).toBe(true);
    expect(data.rawSha256).toBe(sha(raw));
    expect(data.rawChars).toBe(raw.length);
    expect(typeof data.raw).toBe('string');
    expect((data.raw as string).length).toBeLessThan(RAW_EXCERPT_LIMITS.maxStringLength + 100);
    expect(data.raw as string).toMatch(/^x+…\[truncated: \d+ more chars\]$/);
  });

  it('stores a 1e6-element array as an excerpt of its first items', async () => {
    const raw = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    const data = await roundTrip(raw);
    expect(data.rawTruncated).toBe(true);
    expect(data.rawSha256).toBe(sha(JSON.stringify(raw)));
    const excerpt = data.raw as unknown[];
    expect(excerpt).toHaveLength(RAW_EXCERPT_LIMITS.maxArrayLength + 1);
    expect(excerpt[0]).toEqual({ i: 0 });
    expect(excerpt.at(-1)).toBe(`[truncated: ${1_000_000 - RAW_EXCERPT_LIMITS.maxArrayLength} more items]`);
  });

  it('stores an object of 100k keys (and a __proto__ key) as data, never touching prototypes', async () => {
    const raw: Record<string, unknown> = JSON.parse('{"__proto__":{"polluted":true}}') as Record<
      string,
      unknown
    >;
    for (let i = 0; i < 100_000; i++) raw[`key-${i}`] = `value-${i}-${'v'.repeat(100)}`;
    const data = await roundTrip(raw);
    expect(data.rawSha256).toBe(sha(JSON.stringify(raw)));
    expect(data.rawTruncated).toBe(true); // ~12 MB of JSON: over the whole-event bound
    const excerpt = data.raw as Record<string, unknown>;
    expect(Object.keys(excerpt)).toHaveLength(RAW_EXCERPT_LIMITS.maxKeys + 1);
    expect(Object.hasOwn(excerpt, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(excerpt['…']).toMatch(/^\[truncated: \d+ more keys\]$/);
  });

  it('keeps lone surrogates and an event within the event bounds whole (replayable), hash of its JSON', async () => {
    const raw = { type: 'MESSAGESENT', text: 'a\uD800b\uDFFFc', nested: nested(30) };
    const data = await roundTrip(raw);
    expect(data.rawTruncated).toBe(false);
    expect(data.raw).toEqual(raw);
    expect(data.rawSha256).toBe(sha(JSON.stringify(raw)));
  });

  it('writes every entry of a re-read batch once (the id is the content)', async () => {
    const before = await dlq.count();
    const batch = [
      { stage: 'ingest' as const, reason: 'bad', raw: { id: 'same' } },
      { stage: 'ingest' as const, reason: 'bad', raw: 'not json {' },
    ];
    const ids = await writeDeadLetters(dlq.queue, batch);
    expect(await writeDeadLetters(dlq.queue, batch)).toEqual(ids);
    expect(await dlq.count()).toBe(before + 2);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => /^dl-[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('reads version 1 entries already in Redis; refuses to replay an excerpt', async () => {
    await dlq.queue.add(
      'dead',
      { v: 1, stage: 'handle', reason: 'old', raw: { a: 1 }, failedAt: 1 },
      { jobId: 'dl-old' },
    );
    const old = await dlq.show('dl-old');
    expect(old?.invalid).toBeUndefined();
    expect(old?.data).toMatchObject({ v: 1, stage: 'handle', raw: { a: 1 } });
    const id = await dlq.add({
      stage: 'handle',
      reason: 'r',
      streamId: 'S',
      key: 'k-big',
      raw: 'y'.repeat(9e6),
    });
    await expect(dlq.replay(id)).rejects.toBeInstanceOf(NotReplayableError);
  });
});

describe('the error a dead letter keeps', () => {
  class TokenError extends BatonError {
    constructor() {
      super(
        'TEST_TOKEN',
        'POST https://bot:hunter2@pod.example/agent failed: Authorization: Bearer abc.def.ghi sessionToken=0123456789abcdef token: "s3cr3t" eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJl',
      );
    }
  }

  it('keeps the class name, message and code, with tokens, keys and passwords redacted', () => {
    const e = deadLetterError(new TokenError());
    expect(e.name).toBe('TokenError');
    expect(e.code).toBe('TEST_TOKEN');
    for (const secret of [
      'hunter2',
      'abc.def.ghi',
      '0123456789abcdef',
      's3cr3t',
      'eyJhbGci',
      'c2lnbmF0dXJl',
    ]) {
      expect(e.message).not.toContain(secret);
      expect(e.stack ?? '').not.toContain(secret);
    }
    expect(e.message).toContain('POST https://bot:[REDACTED]@pod.example/agent failed');
  });

  it('redacts a private key even when cut short, and bounds every field', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(2_000)}\n-----END PRIVATE KEY-----`;
    expect(redactSecrets(`key: ${pem} done`)).toBe('key: [REDACTED] private key done');
    expect(redactSecrets(`-----BEGIN RSA PRIVATE KEY-----\nQUJDRA`)).toBe('[REDACTED] private key');
    const e = deadLetterError(new Error(`x${'m'.repeat(100_000)}`));
    expect(e.message.length).toBeLessThanOrEqual(2_000);
    expect(deadLetterError('plain string')).toEqual({ name: 'NonError', message: 'plain string' });
  });
});

describe('boundJson and jsonSha256', () => {
  it('agree with JSON.stringify on JSON data', () => {
    const value = { a: [1, 'two', null, true, { b: -0.5, c: [] }], d: {}, e: 'é\u2028"\\' };
    expect(jsonSha256(value).sha256).toBe(sha(JSON.stringify(value)));
    expect(boundJson(value, WHOLE_RAW_LIMITS)).toEqual({ value, truncated: false });
  });

  it('end on cycles and handle what JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic['self'] = cyclic;
    expect(jsonSha256(cyclic).sha256).toBe(sha('{"n":1,"self":"[Circular]"}'));
    const bounded = boundJson(cyclic, RAW_EXCERPT_LIMITS);
    expect(bounded.truncated).toBe(true);
    expect(() => JSON.stringify(bounded.value)).not.toThrow();
  });
});
