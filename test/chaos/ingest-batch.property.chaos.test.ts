import { redisTest } from '@baton/shared/testing/vitest';
import { describe } from 'vitest';
import { fuzzIngestBatch } from '../support/fuzz-ingest-batch.ts';

// The batch step's property test at length: FUZZ_RUNS runs (default 400), e.g. `FUZZ_RUNS=2000 pnpm test:chaos`.
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
describe('processBatch (property, real Redis, chaos length)', () => {
  redisTest(
    `stores each generated event once or dead-letters it with a reason, in order (${RUNS} runs)`,
    async ({ redis }) => {
      await fuzzIngestBatch(redis, RUNS);
    },
  );
});
