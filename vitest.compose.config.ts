import { separateSuiteConfig } from './vitest.shared.ts';

// `pnpm test:compose`: docker compose up on a real Docker engine (test/*.compose.test.ts; tools/docker-engine/
// gets the engine). Not part of `vitest run` (vitest.config.ts excludes these files): it builds images and takes
// minutes.
export default separateSuiteConfig('test/**/*.compose.test.ts', 300_000);
