import { redisTest } from '@baton/shared/testing/vitest';
import { describe } from 'vitest';
import { fuzzWorkerHandling } from './support/fuzz-worker-handling.ts';

// The worker's handling, property-tested: a bounded number of runs, the huge values left out (the chaos config
// runs many more, with them: test/chaos/worker-handling.property.chaos.test.ts).
describe('worker handling (property, real Redis, real worker)', () => {
  redisTest(
    'answers each generated command once or dead-letters the entry with a reason, in order, and never stalls',
    async ({ redis, redisServer }) => {
      await fuzzWorkerHandling(redis, redisServer.url, { numRuns: 20 });
    },
    60_000,
  );
});
