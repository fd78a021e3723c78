// The vitest fixtures of `@baton/shared/testing` (a separate subpath, source only: `@baton/shared/testing` is
// also loaded by the bench outside vitest, which must never load vitest). Layers: `redisTest` here; the
// simulator and the e2e stack extend it in their packages' test support (see CONTRIBUTING.md, "Tests").
export { redisTest } from './redis-test.ts';
