import { redisTest } from '@baton/shared/testing/vitest';
import { describe } from 'vitest';
import { fuzzIngestBatch } from '../support/fuzz-ingest-batch.ts';

// The batch step's property test at length: FUZZ_RUNS runs (default 100, the CI size, 4x the normal suite's;
// CHAOS_SIZE=full: 400), e.g. `FUZZ_RUNS=2000 pnpm test:chaos`.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CHAOS_SIZE === 'full' ? 400 : 100));
describe('processBatch (property, real Redis, chaos length)', () => {
  redisTest(
    `stores each generated event once or dead-letters it with a reason, in order (${RUNS} runs)`,
    async ({ redis }) => {
      await fuzzIngestBatch(redis, RUNS);
    },
  );
});
