import { startTestRedis, type TestRedis } from '@baton/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fuzzIngestBatch } from '../support/fuzz-ingest-batch.ts';

// The batch step's property test at length: FUZZ_RUNS runs (default 400), e.g. `FUZZ_RUNS=2000 pnpm test:chaos`.
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
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

describe('processBatch (property, real Redis, chaos length)', () => {
  it(`stores each generated event once or dead-letters it with a reason, in order (${RUNS} runs)`, async () => {
    await fuzzIngestBatch(redis, RUNS);
  });
});
