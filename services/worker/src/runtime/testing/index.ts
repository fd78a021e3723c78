// Test support of the worker runtime for other workspace packages' tests (`@baton/worker/testing`, a
// source-only export: not built, not published).
export { type E2EStack, startE2EStack, WORKER_ENTRIES, type WorkerProcess, waitFor } from './e2e-stack.ts';
