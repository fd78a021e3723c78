import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fuzzIngestBatch } from './support/fuzz-ingest-batch.ts';

// The batch step's property test, a bounded number of runs (the chaos config runs many more:
// test/chaos/ingest-batch.property.chaos.test.ts).
let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});

describe('processBatch (property, real Redis)', () => {
  it('stores each generated event once or dead-letters it with a reason, in order, and never throws', async () => {
    await fuzzIngestBatch(redis, 25);
  }, 60_000);
});
