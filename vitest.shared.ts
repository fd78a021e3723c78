import { defineConfig } from 'vitest/config';

/**
 * Shared by every vitest config of the repo: workspace packages resolve to their TypeScript sources (the
 * `@baton/source` export condition), so tests never need a build; published packages resolve to dist/.
 */
export const WORKSPACE_SOURCES = {
  resolve: { conditions: ['@baton/source'] },
  ssr: { resolve: { conditions: ['@baton/source'], externalConditions: ['@baton/source'] } },
};

/**
 * The leak check: every process a test starts carries this run's BATON_TEST_RUN; one still alive when the run
 * ends fails it (packages/testing/src/leak-check-global-setup.ts).
 */
export const LEAK_CHECK_SETUP = ['./packages/testing/src/leak-check-global-setup.ts'];

/** A suite run apart from `vitest run` (the chaos drills, docker compose): one file at a time, minutes a test. */
export function separateSuiteConfig(include: string, hookTimeout: number) {
  return defineConfig({
    ...WORKSPACE_SOURCES,
    test: {
      include: [include],
      exclude: ['**/node_modules/**'],
      globalSetup: LEAK_CHECK_SETUP,
      pool: 'forks',
      maxWorkers: 1,
      testTimeout: 600_000,
      hookTimeout,
    },
  });
}
