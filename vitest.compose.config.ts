import { defineConfig } from 'vitest/config';

// `pnpm test:compose`: docker compose up on a real Docker engine (test/*.compose.test.ts; tools/docker-engine/
// gets the engine). Not part of `vitest run` (vitest.config.ts excludes these files): it builds images and takes
// minutes.
export default defineConfig({
  // As in vitest.config.ts: workspace packages resolve to their TypeScript sources.
  resolve: { conditions: ['@baton/source'] },
  ssr: { resolve: { conditions: ['@baton/source'], externalConditions: ['@baton/source'] } },
  test: {
    include: ['test/**/*.compose.test.ts'],
    exclude: ['**/node_modules/**'],
    // As in vitest.config.ts: a process of the run still alive at its end fails it.
    globalSetup: ['./packages/testing/src/leak-check-global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
