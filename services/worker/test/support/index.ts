// The worker's test support for other workspace packages' tests (`@baton/worker/testing`, a source-only export:
// not built, not published). Their package declares @baton/testing (waitFor, the launcher) itself.
export { type E2EStack, type E2EStackOptions, startE2EStack, WORKER_ENTRIES } from './e2e-stack.ts';
export { stackTest } from './stack-test.ts';
