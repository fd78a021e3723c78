import { redisTest } from '@baton/shared/testing/vitest';
import { describe } from 'vitest';
import { fuzzWorkerHandling } from '../support/fuzz-worker-handling.ts';

// The worker's property test at length, huge values (8 Mi characters, a million items, 460,000 keys) included:
// FUZZ_RUNS runs (default 60, the CI size, 3x the normal suite's, so that CI keeps within its time budget;
// CHAOS_SIZE=full: 400), e.g. `FUZZ_RUNS=1000 pnpm test:chaos`.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CHAOS_SIZE === 'full' ? 400 : 60));
describe('worker handling (property, real Redis, real worker, chaos length)', () => {
  redisTest(
    `answers each generated command once or dead-letters the entry with a reason, in order (${RUNS} runs)`,
    async ({ redis, redisServer }) => {
      await fuzzWorkerHandling(redis, redisServer.url, { numRuns: RUNS, hugeWeight: 1 });
    },
    // 100 runs took 130–210 s on 2 loaded cores (load 15–30): allow some 6 s a run.
    Math.max(600_000, RUNS * 6_000),
  );
});
