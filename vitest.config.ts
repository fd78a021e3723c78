import { defineConfig } from 'vitest/config';
import { LEAK_CHECK_SETUP, WORKSPACE_SOURCES } from './vitest.shared.ts';

// Every test file gets its own process (forks) so Redis fixtures, simulators and child processes never leak
// between files. Chaos drills run separately (vitest.chaos.config.ts).
export default defineConfig({
  ...WORKSPACE_SOURCES,
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'bots/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/*.chaos.test.ts', '**/*.compose.test.ts'],
    globalSetup: LEAK_CHECK_SETUP,
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
