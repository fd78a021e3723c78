import { separateSuiteConfig } from './vitest.shared.ts';

// `pnpm test:chaos`: the fault drills (**/test/**/*.chaos.test.ts); vitest.config.ts excludes these files.
export default separateSuiteConfig('**/test/**/*.chaos.test.ts', 120_000);
