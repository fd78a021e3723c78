import { redisTest } from '@baton/shared/testing/vitest';
import { describe } from 'vitest';
import { fuzzIngestBatch } from './support/fuzz-ingest-batch.ts';

// The batch step's property test, a bounded number of runs (the chaos config runs many more:
// test/chaos/ingest-batch.property.chaos.test.ts).
describe('processBatch (property, real Redis)', () => {
  redisTest(
    'stores each generated event once or dead-letters it with a reason, in order, and never throws',
    async ({ redis }) => {
      await fuzzIngestBatch(redis, 25);
    },
    60_000,
  );
});
