import { defineConfig } from 'vitest/config';

// The bench's own tests (the root vitest.config.ts does not include bench/): run from the repo root with
// `npx vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
