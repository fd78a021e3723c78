import { defineConfig } from 'vitest/config';

// Every test file gets its own process (forks) so Redis fixtures, simulators and child processes never leak
// between files. Chaos drills run separately (vitest.chaos.config.ts).
export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the `@baton/source` export condition), so tests
  // never need a build; published packages resolve to dist/.
  resolve: { conditions: ['@baton/source'] },
  ssr: { resolve: { conditions: ['@baton/source'], externalConditions: ['@baton/source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'bots/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/*.chaos.test.ts', '**/*.compose.test.ts'],
    // The leak check: every process a test starts carries this run's BATON_TEST_RUN; one still alive when the
    // run ends fails it (packages/testing/src/leak-check-global-setup.ts).
    globalSetup: ['./packages/testing/src/leak-check-global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
